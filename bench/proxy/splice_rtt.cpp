// The proxy's forwarding path alone: a client and an echo server on loopback, connected directly
// or through io::pump (the splice loop rdkernel proxy runs, one thread per direction). Prints
// the ping-pong round trip p50/p90/p99 per message size and the bulk throughput with the CPU
// the forwarding threads took, both paths in the same run.
// usage: bench_proxy_splice [ROUND_TRIPS]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "socket_io.h"

namespace {

using Clock = std::chrono::steady_clock;

int listener(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4) != 0)
    std::exit(1);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

void noDelay(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool readFull(int fd, char* buf, size_t n) {
  while (n > 0) {
    const ssize_t r = recv(fd, buf, n, 0);
    if (r <= 0)
      return false;
    buf += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

/// A server that echoes |size|-byte messages, or swallows everything when |size| is 0.
std::thread echoServer(int listenFd, size_t size) {
  return std::thread([listenFd, size] {
    const int fd = accept(listenFd, nullptr, nullptr);
    noDelay(fd);
    std::vector<char> buf(std::max<size_t>(size, 1 << 16));
    for (;;) {
      if (size == 0) {
        if (recv(fd, buf.data(), buf.size(), 0) <= 0)
          break;
        continue;
      }
      if (!readFull(fd, buf.data(), size) ||
          !rdk::proxy::io::writeAll(fd, {buf.data(), size}, 5000))
        break;
    }
    close(fd);
  });
}

struct Path {
  int clientFd = -1;
  std::vector<std::thread> threads;
};

/// Client -> (proxy pump pair ->) server.
Path connectPath(int serverPort, bool proxied) {
  Path path;
  std::string error;
  if (!proxied) {
    path.clientFd = rdk::proxy::io::connectTcp("127.0.0.1", serverPort, 2000, &error);
    noDelay(path.clientFd);
    return path;
  }
  int proxyPort = 0;
  const int proxyListen = listener(&proxyPort);
  path.clientFd = rdk::proxy::io::connectTcp("127.0.0.1", proxyPort, 2000, &error);
  noDelay(path.clientFd);
  const int accepted = accept(proxyListen, nullptr, nullptr);
  close(proxyListen);
  noDelay(accepted);
  const int upstream = rdk::proxy::io::connectTcp("127.0.0.1", serverPort, 2000, &error);
  path.threads.emplace_back([accepted, upstream] {
    rdk::proxy::io::pump(accepted, upstream, [](size_t) {});
    shutdown(upstream, SHUT_RDWR);
    shutdown(accepted, SHUT_RDWR);
  });
  path.threads.emplace_back([accepted, upstream] {
    rdk::proxy::io::pump(upstream, accepted, [](size_t) {});
    shutdown(upstream, SHUT_RDWR);
    shutdown(accepted, SHUT_RDWR);
  });
  return path;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double threadCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int trips = argc > 1 ? std::atoi(argv[1]) : 5000;
  double load[3] = {};
  getloadavg(load, 3);
  std::printf(
      "# proxy forwarding path (splice, a thread per direction) vs direct, loopback, %d "
      "round trips per row, load %.1f %.1f %.1f\n",
      trips, load[0], load[1], load[2]);
  std::printf("%-8s %8s %9s %9s %9s\n", "path", "bytes", "p50 us", "p90 us", "p99 us");
  for (size_t size : {64, 1024, 16384}) {
    double p50[2] = {};
    for (int proxied = 0; proxied < 2; ++proxied) {
      int port = 0;
      const int listenFd = listener(&port);
      std::thread server = echoServer(listenFd, size);
      Path path = connectPath(port, proxied != 0);
      std::vector<char> buf(size, 'x');
      std::vector<double> us;
      for (int i = 0; i < trips; ++i) {
        const auto t0 = Clock::now();
        rdk::proxy::io::writeAll(path.clientFd, {buf.data(), size}, 5000);
        readFull(path.clientFd, buf.data(), size);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
      shutdown(path.clientFd, SHUT_RDWR);
      close(path.clientFd);
      server.join();
      for (auto& t : path.threads)
        t.join();
      close(listenFd);
      p50[proxied] = percentile(us, 0.5);
      std::printf("%-8s %8zu %9.1f %9.1f %9.1f\n", proxied ? "proxy" : "direct", size, p50[proxied],
                  percentile(us, 0.9), percentile(us, 0.99));
    }
    std::printf("%-8s %8zu %+9.1f\n", "added", size, p50[1] - p50[0]);
  }
  // Bulk: 256 MiB one way; the CPU of this process minus the direct run's is the forwarding.
  std::printf("\n%-8s %10s %12s %16s\n", "path", "Mbit/s", "CPU s", "fwd CPU%/Mbit/s");
  const size_t total = size_t{256} << 20;
  double directCpu = 0;
  for (int proxied = 0; proxied < 2; ++proxied) {
    int port = 0;
    const int listenFd = listener(&port);
    std::thread server = echoServer(listenFd, 0);
    Path path = connectPath(port, proxied != 0);
    std::vector<char> buf(1 << 16, 'y');
    const double cpu0 = threadCpuSeconds();
    const auto t0 = Clock::now();
    for (size_t sent = 0; sent < total; sent += buf.size())
      rdk::proxy::io::writeAll(path.clientFd, {buf.data(), buf.size()}, 5000);
    shutdown(path.clientFd, SHUT_WR);
    server.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    close(path.clientFd);
    for (auto& t : path.threads)
      t.join();
    close(listenFd);
    const double cpu = threadCpuSeconds() - cpu0;
    if (!proxied)
      directCpu = cpu;
    const double mbps = static_cast<double>(total) * 8 / seconds / 1e6;
    const double fwdPercent = proxied ? 100 * (cpu - directCpu) / seconds : 0;
    std::printf("%-8s %10.0f %12.2f %16.4f\n", proxied ? "proxy" : "direct", mbps, cpu,
                proxied ? fwdPercent / mbps : 0.0);
  }
  return 0;
}
