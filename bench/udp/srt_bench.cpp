// SRT side by side (issue 15): the stream workload (15 kB messages at 30 Hz, server namespace to
// client namespace) through two Debian srt-live-transmit processes in live mode, latency 120 ms,
// on the same TUN cable, delay and nftables loss as `udp_bench mixed --workload stream`.
//
//   server ns: bench -> udp://127.0.0.1:9000 -> srt-live-transmit -> srt://<client>:7800 (caller)
//   client ns: srt-live-transmit (listener) -> udp://127.0.0.1:9001 -> bench
//
// srt-live-transmit carries one UDP datagram per SRT packet (-chunk 1456, the largest that fits),
// so each message goes as 11 chunks, each with a 16-byte chunk header (seq, index, count, send
// time: 176 bytes per message, 1.2% counted as wire overhead). A message counts when all its
// chunks arrived; SRT drops packets later than its latency (too-late packet drop), so a message
// missing one is lost. CPU is the two srt-live-transmit processes' (the transport's work).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tun_relay.hpp"

extern char** environ;

using namespace rdk::bench;

namespace {

constexpr size_t kChunk = 1456, kChunkHeader = 16, kChunkData = kChunk - kChunkHeader;
constexpr uint32_t kProbe = 0xffffffffu;

uint64_t now() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}
uint64_t pct(std::vector<uint64_t> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

pid_t spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& s : argv)
    args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0)
    throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

/// User + system CPU of process |pid| in microseconds (/proc/pid/stat fields 14 and 15).
uint64_t processCpuUs(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(f, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos)
    return 0;
  std::vector<std::string> fields;
  size_t pos = close + 2;
  while (pos < line.size()) {
    const auto end = line.find(' ', pos);
    fields.push_back(line.substr(pos, end - pos));
    if (end == std::string::npos)
      break;
    pos = end + 1;
  }
  if (fields.size() < 13)  // fields[0] is field 3 (state)
    return 0;
  const uint64_t ticks = std::stoull(fields[11]) + std::stoull(fields[12]);
  return ticks * 1000000 / static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
}

void stopProcess(pid_t pid) {
  kill(pid, SIGINT);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

int udpSocket(const char* ip, uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int size = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  if (ip) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, ip, &addr.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
      throw std::runtime_error("bind 127.0.0.1:" + std::to_string(port) + " failed");
    timeval tv{0, 20000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  return fd;
}

void sendMessage(int fd, uint32_t seq, uint64_t sentUs) {
  static const sockaddr_in to = [] {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(9000 + getpid() % 500 * 2));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    return a;
  }();
  const uint16_t count = seq == kProbe ? 1 : (kStreamBytes + kChunkData - 1) / kChunkData;
  uint8_t buf[kChunk] = {};
  for (uint16_t i = 0; i < count; ++i) {
    const size_t data = seq == kProbe ? 0 : std::min(kChunkData, kStreamBytes - i * kChunkData);
    std::memcpy(buf, &seq, 4);
    std::memcpy(buf + 4, &i, 2);
    std::memcpy(buf + 6, &count, 2);
    std::memcpy(buf + 8, &sentUs, 8);
    sendto(fd, buf, kChunkHeader + data, 0, reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  }
}

}  // namespace

int srtStream(std::map<std::string, std::string> a) {
  const int seconds = std::stoi(a["--seconds"]);
  const int tunA = openTunIn(a["--client-ns"], a["--tun-a"]);
  const int tunB = openTunIn(a["--server-ns"], a["--tun-b"]);
  TunRelay relay(tunA, tunB, cableImpairment(a));
  const std::string latency = a["--srt-latency-ms"].empty() ? "120" : a["--srt-latency-ms"];

  // Ports of their own per run: a previous run's SRT peer state (keepalives to the same ports)
  // confused the next handshake.
  const int base = getpid() % 500 * 2;
  const uint16_t rxPort = static_cast<uint16_t>(9001 + base);
  const std::string txPort = std::to_string(9000 + base), srtPort = std::to_string(7800 + base);
  // The receiving bench socket first, so the listener's output has somewhere to go.
  std::mutex mutex;
  std::map<uint32_t, std::pair<uint16_t, uint64_t>> partial;  // seq -> (chunks got, sent)
  std::vector<std::pair<uint64_t, uint64_t>> done;            // (sent, latency)
  std::atomic<bool> probeSeen{false}, stop{false};
  int rxFd = -1;
  std::thread([&] {
    enterNetns(a["--client-ns"]);
    rxFd = udpSocket("127.0.0.1", rxPort);
  }).join();
  std::thread receiver([&] {
    uint8_t buf[65536];
    while (!stop) {
      const ssize_t n = recv(rxFd, buf, sizeof(buf), 0);
      if (n < static_cast<ssize_t>(kChunkHeader))
        continue;
      uint32_t seq;
      uint16_t count;
      uint64_t sent;
      std::memcpy(&seq, buf, 4);
      std::memcpy(&count, buf + 6, 2);
      std::memcpy(&sent, buf + 8, 8);
      if (seq == kProbe) {
        probeSeen = true;
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex);
      auto& [got, at] = partial[seq];
      at = sent;
      if (++got == count) {  // SRT delivers each packet at most once
        done.emplace_back(sent, now() - sent);
        partial.erase(seq);
      }
    }
  });
  const std::string srtOpts = "latency=" + latency;
  const pid_t rxPid =
      spawn({"ip", "netns", "exec", a["--client-ns"], "srt-live-transmit", "-q", "-a", "no", "-c",
             std::to_string(kChunk), "srt://:" + srtPort + "?mode=listener&" + srtOpts,
             "udp://127.0.0.1:" + std::to_string(rxPort)});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const pid_t txPid =
      spawn({"ip", "netns", "exec", a["--server-ns"], "srt-live-transmit", "-q", "-a", "no", "-c",
             std::to_string(kChunk), "udp://127.0.0.1:" + txPort,
             "srt://" + a["--client-ip"] + ":" + srtPort + "?mode=caller&" + srtOpts});
  int txFd = -1;
  std::thread([&] {
    enterNetns(a["--server-ns"]);
    txFd = udpSocket(nullptr, 0);
  }).join();
  // Probes until one comes out at the far end (connected), at most 10 s.
  for (int i = 0; i < 200 && !probeSeen; ++i) {
    sendMessage(txFd, kProbe, now());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!probeSeen) {
    std::fprintf(stderr, "srt: no data through srt-live-transmit after 10 s\n");
    stop = true;
    receiver.join();
    stopProcess(txPid);
    stopProcess(rxPid);
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // probes in flight
  const uint64_t relayBytes0 = relay.bytesForwarded();
  const uint64_t cpu0 = processCpuUs(txPid) + processCpuUs(rxPid);
  const uint64_t start = now();
  uint64_t next = start;
  uint32_t sent = 0;
  while (now() - start < uint64_t(seconds) * 1000000) {
    if (now() >= next) {
      sendMessage(txFd, sent++, now());
      next += kStreamPeriodUs;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the tail (latency 120 ms)
  const double elapsed = (now() - start) / 1e6;
  const uint64_t wire = relay.bytesForwarded() - relayBytes0;
  const uint64_t cpu = processCpuUs(txPid) + processCpuUs(rxPid) - cpu0;
  stop = true;
  receiver.join();
  stopProcess(txPid);
  stopProcess(rxPid);
  close(txFd);
  close(rxFd);

  std::vector<uint64_t> all, steady;
  for (auto& [at, lat] : done) {
    all.push_back(lat);
    if (at >= start + 2000000)
      steady.push_back(lat);
  }
  const uint64_t payload = done.size() * kStreamBytes;
  auto ms = [](uint64_t us) { return us / 1000.0; };
  std::printf(
      "| %-9s | %4s%% | %7.1f | %7.1f | %8.1f | %8.1f | %5.1f%% | %7.1f | %8.1f | %5.1f%% | %7.1f "
      "| %8.1f | %7.1f | %6.2f | %5.1f%% | %7d | %5.1f%% | %6.1f |\n",
      "srt", a["--label"].c_str(), ms(pct(all, 0.5)), ms(pct(all, 0.9)), ms(pct(all, 0.99)),
      ms(pct(steady, 0.99)), 100.0 * done.size() / std::max<uint32_t>(1, sent), 0.0, 0.0, 0.0, 0.0,
      0.0, 0.0, payload * 8 / elapsed / 1e6,
      100.0 * (double(wire) / double(std::max<uint64_t>(1, payload)) - 1.0), 0, 0.0,
      cpu / 1000.0 / std::max(payload / 1e6, 1e-9));
  std::fprintf(stderr, "srt loss %s: %u messages sent, %zu delivered, %zu incomplete, latency %s\n",
               a["--label"].c_str(), sent, done.size(), partial.size(), latency.c_str());
  close(tunA);
  close(tunB);
  return 0;
}
