#include "tun_relay.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <vector>

namespace rdk::bench {

namespace {
uint64_t nowUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}
}  // namespace

void enterNetns(const std::string& netns) {
  if (netns.empty())
    return;
  const std::string path = "/var/run/netns/" + netns;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    throw std::runtime_error("cannot enter network namespace " + netns);
  }
  close(fd);
}

int openTunIn(const std::string& netns, const std::string& name) {
  int result = -1;
  std::string error;
  std::thread t([&] {
    try {
      enterNetns(netns);
      const int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0)
        throw std::runtime_error("open /dev/net/tun");
      ifreq ifr{};
      ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
      std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
      if (ioctl(fd, TUNSETIFF, &ifr) != 0)
        throw std::runtime_error("TUNSETIFF " + name);
      result = fd;
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  t.join();
  if (result < 0)
    throw std::runtime_error(error);
  return result;
}

udp::ImpairmentConfig cableImpairment(std::map<std::string, std::string>& a) {
  udp::ImpairmentConfig c;
  c.delayUs = static_cast<uint64_t>(std::stod(a["--delay-ms"]) * 1000);
  c.jitterUs = 1000;
  if (!a["--burst-p"].empty() && !a["--burst-r"].empty()) {
    c.burstP = std::stod(a["--burst-p"]);
    c.burstR = std::stod(a["--burst-r"]);
  }
  return c;
}

TunRelay::TunRelay(int fdA, int fdB, const udp::ImpairmentConfig& delay)
    : fdA_(fdA), fdB_(fdB), delay_(delay) {
  thread_ = std::thread([this] { run(); });
}

TunRelay::~TunRelay() {
  stop_ = true;
  thread_.join();
}

void TunRelay::run() {
  udp::Impairment toB(delay_, 11), toA(delay_, 13);
  std::multimap<uint64_t, std::pair<int, std::vector<uint8_t>>> held;
  std::vector<uint8_t> buf(65536);
  pollfd fds[2] = {{fdA_, POLLIN, 0}, {fdB_, POLLIN, 0}};
  while (!stop_) {
    const uint64_t now = nowUs();
    int timeoutMs = 50;
    if (!held.empty()) {
      const uint64_t next = held.begin()->first;
      timeoutMs = next <= now ? 0 : static_cast<int>((next - now + 999) / 1000);
    }
    poll(fds, 2, std::min(timeoutMs, 50));
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & POLLIN))
        continue;
      for (int k = 0; k < 64; ++k) {
        const ssize_t n = read(fds[i].fd, buf.data(), buf.size());
        if (n <= 0)
          break;
        const int out = i == 0 ? fdB_ : fdA_;
        if (i == 0)
          fromA_++;
        const auto times = (i == 0 ? toB : toA).decide(nowUs());
        if (times.empty()) {
          bytes_ += static_cast<uint64_t>(n);  // lost on the wire: it was sent
          dropped_++;
        }
        for (uint64_t at : times) {
          held.emplace(at, std::make_pair(out, std::vector<uint8_t>(buf.begin(), buf.begin() + n)));
        }
      }
    }
    const uint64_t t = nowUs();
    while (!held.empty() && held.begin()->first <= t) {
      auto& [fd, bytes] = held.begin()->second;
      if (write(fd, bytes.data(), bytes.size()) > 0) {
        bytes_ += bytes.size();
        packets_++;
      }
      held.erase(held.begin());
    }
  }
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  cpuUs_ = static_cast<uint64_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
           static_cast<uint64_t>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

}  // namespace rdk::bench
