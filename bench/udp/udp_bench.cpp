// The mixed remote-display workload over the tcp and udp plugins, and our UDP goodput against a
// plain sendto/recvfrom blaster. Driven by run.sh (namespaces, nftables loss, TUN delay).
//
//   udp_bench mixed --transport udp|udp-xor|udp-nofec|tcp|dtls|enet|enet-rel|srt --plugin-dir D
//   --client-ns rdA --server-ns rdB
//             --server-ip 10.77.0.2 --client-ip 10.77.0.1 --tun-a tunA --tun-b tunB --delay-ms 20
//             --seconds 10 --label 10 [--workload mixed|stream] [--burst-p P --burst-r R]
//   (srt: stream workload only, through srt-live-transmit; see srt_bench.cpp)
//   udp_bench loopback --plugin-dir D --seconds 3
#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_plugin.hpp"
#include "tun_relay.hpp"

using namespace rdk::bench;

namespace {

enum Class : uint8_t { kScreen = 0, kVideo = 1, kControl = 2, kAck = 3 };
constexpr size_t kHeader = 16;

uint64_t nowUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}
uint64_t cpuUs() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
         static_cast<uint64_t>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}
uint64_t pct(std::vector<uint64_t> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::map<std::string, std::string> args(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 2; i + 1 < argc; i += 2)
    a[argv[i]] = argv[i + 1];
  return a;
}

/// One end: parses messages (framed for streams, whole for UDP) and records latencies.
struct Endpoint {
  bool stream = false;
  std::vector<uint8_t> pending;
  std::mutex mutex;
  std::vector<uint64_t> latency[4];
  std::vector<std::pair<uint64_t, uint64_t>> screenSent;  // (send time, latency) of screen updates
  uint64_t bytes[4] = {0, 0, 0, 0};
  uint64_t count[4] = {0, 0, 0, 0};
  std::atomic<uint64_t> screenDelivered{0};
  std::atomic<bool> needKey{false};
  std::atomic<uint64_t> lost{0}, superseded{0};
  std::atomic<bool> closed{false};
  rdk_connection_callbacks cb{};
  rdk_connection* conn = nullptr;
  std::vector<uint64_t> acksToSend;  // screen updates delivered: answer with an ack

  Endpoint() {
    cb.struct_size = sizeof(cb);
    cb.host_conn = this;
    cb.on_data = [](void* h, const uint8_t* d, size_t n, int eom) {
      static_cast<Endpoint*>(h)->onData(d, n, eom != 0);
    };
    cb.on_closed = [](void* h, rdk_status, const char* reason) {
      auto* self = static_cast<Endpoint*>(h);
      self->closed = true;
      std::fprintf(stderr, "connection closed: %s\n", reason);
    };
    cb.on_lost = [](void* h, uint64_t id, int superseded) {
      auto* self = static_cast<Endpoint*>(h);
      (superseded ? self->superseded : self->lost)++;
      if ((id >> 32) == kVideo && !superseded)
        self->needKey = true;  // ask for a key frame
    };
  }
  void onMessage(const uint8_t* d, size_t n) {
    if (n < kHeader)
      return;
    const uint8_t cls = d[0] & 3;
    uint64_t sent;
    std::memcpy(&sent, d + 8, 8);
    std::lock_guard<std::mutex> lock(mutex);
    latency[cls].push_back(nowUs() - sent);
    if (cls == kScreen)
      screenSent.emplace_back(sent, latency[cls].back());
    bytes[cls] += n;
    count[cls]++;
    if (cls == kScreen)
      acksToSend.push_back(sent);
  }
  void onData(const uint8_t* d, size_t n, bool whole) {
    if (whole) {
      onMessage(d, n);
      return;
    }
    pending.insert(pending.end(), d, d + n);
    size_t off = 0;
    while (pending.size() - off >= 4) {
      uint32_t len;
      std::memcpy(&len, pending.data() + off, 4);
      if (pending.size() - off - 4 < len)
        break;
      onMessage(pending.data() + off + 4, len);
      off += 4 + len;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<long>(off));
  }
};

bool sendMessage(const rdk_transport_vtbl* vt, Endpoint& e, uint8_t cls, uint32_t seq, size_t size,
                 rdk_delivery delivery, uint64_t key, uint64_t id) {
  std::vector<uint8_t> m(std::max(size, kHeader) + (e.stream ? 4 : 0));
  uint8_t* p = m.data() + (e.stream ? 4 : 0);
  const uint32_t len = static_cast<uint32_t>(m.size() - (e.stream ? 4 : 0));
  if (e.stream)
    std::memcpy(m.data(), &len, 4);
  p[0] = cls;
  std::memcpy(p + 4, &seq, 4);
  const uint64_t t = nowUs();
  std::memcpy(p + 8, &t, 8);
  rdk_bytes iov{m.data(), m.size()};
  rdk_send_info info{sizeof(info), static_cast<uint32_t>(delivery), key, id};
  return vt->send(e.conn, &iov, 1, &info) == RDK_OK;
}

uint64_t tcpRetransSegs() {
  std::ifstream f("/proc/thread-self/net/snmp");
  std::string header, values;
  while (std::getline(f, header)) {
    if (header.rfind("Tcp:", 0) == 0 && std::getline(f, values)) {
      std::istringstream h(header), v(values);
      std::string name, val;
      while (h >> name && v >> val) {
        if (name == "RetransSegs")
          return std::stoull(val);
      }
    }
  }
  return 0;
}

int mixed(std::map<std::string, std::string> a) {
  // "udp-nofec" is udp with forward error correction off: the reference for what parity buys;
  // "udp-xor" keeps only the version-1 XOR parity (one per group): what Reed-Solomon adds;
  // "udp-nocopy" sends small reliable messages once (no spaced copy): what the copies buy.
  const std::string label = a["--transport"];
  // "udp-capN": Reed-Solomon parity within a budget of N% of the data fragments (0: none), and
  // "udp-capN-dD" also gives droppable messages up after D ms (SRT's latency plays that role).
  const bool noFec = label == "udp-nofec", xorFec = label == "udp-xor";
  const bool noCopy = label == "udp-nocopy";
  const bool capped = label.rfind("udp-cap", 0) == 0;
  const std::string transport = noFec || xorFec || noCopy || capped ? "udp" : label;
  BenchPlugin plugin(a["--plugin-dir"], transport);
  const auto* vt = plugin.vt();
  const int seconds = std::stoi(a["--seconds"]);
  const rdk::udp::ImpairmentConfig delay = cableImpairment(a);
  const bool stream = a["--workload"] == "stream";
  const int tunA = openTunIn(a["--client-ns"], a["--tun-a"]);
  const int tunB = openTunIn(a["--server-ns"], a["--tun-b"]);
  TunRelay relay(tunA, tunB, delay);

  Endpoint server, client;
  server.stream = client.stream = transport == "tcp";
  const bool datagram = transport != "tcp";
  std::string clientOptions = !datagram ? "{}"
                              : noFec   ? "{\"idle_timeout_s\":30,\"fec_group\":-1}"
                              : xorFec  ? "{\"idle_timeout_s\":30,\"fec_parity\":-1}"
                              : noCopy  ? "{\"idle_timeout_s\":30,\"small_message_copies\":false}"
                                        : "{\"idle_timeout_s\":30}";
  if (capped) {  // udp-cap0: no parity at all (repair only, as SRT)
    const auto d = label.find("-d", 7);
    const std::string pct = label.substr(7, d == std::string::npos ? std::string::npos : d - 7);
    clientOptions =
        "{\"idle_timeout_s\":30," +
        (pct == "0" ? std::string("\"fec_group\":-1") : "\"fec_max_parity_pct\":" + pct) +
        (d == std::string::npos ? "" : ",\"droppable_deadline_ms\":" + label.substr(d + 2)) + "}";
  }
  // A/B of transport options without a new label: RDK_BENCH_UDP_OPTIONS='"max_ack_delay_ms":20'
  // is added to both ends' options.
  if (const char* extra = std::getenv("RDK_BENCH_UDP_OPTIONS"); extra && *extra && datagram)
    clientOptions.insert(clientOptions.size() - 1, "," + std::string(extra));
  std::string serverOptions = clientOptions;
  if (transport == "dtls") {
    // DTLS against plain UDP under the same loss (issue 7): a throwaway certificate.
    const std::string dir = "/tmp/rdk-bench-mixed-dtls-" + std::to_string(getpid());
    const std::string mk = "mkdir -p " + dir + " && cd " + dir +
                           " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
                           " -nodes -keyout k.pem -out c.pem -days 1 -subj /CN=localhost"
                           " >/dev/null 2>&1";
    if (std::system(mk.c_str()) != 0) {
      std::fprintf(stderr, "openssl could not make a certificate\n");
      return 1;
    }
    serverOptions =
        "{\"idle_timeout_s\":30,\"cert\":\"" + dir + "/c.pem\",\"key\":\"" + dir + "/k.pem\"}";
  }
  rdk_listener_callbacks lcb{};
  lcb.struct_size = sizeof(lcb);
  lcb.host_listener = &server;
  lcb.on_accept = [](void* h, rdk_connection* c, const char*) -> const rdk_connection_callbacks* {
    auto* s = static_cast<Endpoint*>(h);
    s->conn = c;
    return &s->cb;
  };
  rdk_listener* listener = nullptr;
  uint64_t retransBefore = 0;
  std::string url = transport + "://" + a["--server-ip"] + ":0";
  std::string bound;
  std::thread([&] {  // sockets belong to the namespace of the thread that creates them
    enterNetns(a["--server-ns"]);
    if (vt->listen(plugin.state(), url.c_str(), serverOptions.c_str(), &lcb, &listener) != RDK_OK) {
      std::fprintf(stderr, "listen failed: %s\n", plugin.lastError().c_str());
      std::exit(1);
    }
    char buf[128];
    vt->listener_address(listener, buf, sizeof(buf));
    bound = buf;
    retransBefore = tcpRetransSegs();
  })
      .join();
  std::thread([&] {
    enterNetns(a["--client-ns"]);
    if (vt->connect(plugin.state(), bound.c_str(), clientOptions.c_str(), &client.cb,
                    &client.conn) != RDK_OK) {
      std::fprintf(stderr, "connect failed: %s\n", plugin.lastError().c_str());
      std::exit(1);
    }
  }).join();
  for (int i = 0; i < 500 && !server.conn; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!server.conn)
    return 1;

  std::mt19937 rng(1234);
  uint64_t sentCount[4] = {0, 0, 0, 0}, sentBytes = 0, refused = 0, keyFrames = 0;
  const uint64_t relayBytes0 = relay.bytesForwarded();
  const uint64_t relayFromA0 = relay.packetsFromA();
  const uint64_t cpu0 = cpuUs(), start = nowUs();
  uint64_t nextScreen = start, nextVideo = start, nextControl = start;
  uint32_t frame = 0;
  uint64_t lastKeyUs = 0;
  while (nowUs() - start < uint64_t(seconds) * 1000000) {
    const uint64_t t = nowUs();
    if (stream) {
      // One stream of 15 kB droppable messages at 30 Hz (the SRT side by side): no
      // superseding, nothing in the other direction.
      if (t >= nextScreen) {
        const uint32_t n = static_cast<uint32_t>(sentCount[kScreen]++);
        if (sendMessage(vt, server, kScreen, n, kStreamBytes, RDK_DELIVERY_DROPPABLE, 0, n))
          sentBytes += kStreamBytes;
        else
          refused++;
        nextScreen += kStreamPeriodUs;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    if (t >= nextScreen) {
      const size_t size = 1000 + rng() % 29000;
      const uint32_t n = static_cast<uint32_t>(sentCount[kScreen]++);
      if (sendMessage(vt, server, kScreen, n, size, RDK_DELIVERY_DROPPABLE, 1 + n % 4, n))
        sentBytes += size;
      else
        refused++;
      nextScreen += 16667;
    }
    if (t >= nextVideo) {
      // A key frame on loss at most every 500 ms, as encoders rate-limit key frame requests
      // (WebRTC's PLI throttle): one per lost frame at a rate cap is a 60 kB storm per frame.
      const bool keyOnLoss = t >= lastKeyUs + 500000 && server.needKey.exchange(false);
      const bool key = frame % 120 == 0 || keyOnLoss;
      if (key)
        lastKeyUs = t;
      keyFrames += key;
      const size_t size = key ? 60000 : 3000 + rng() % 5000;
      if (sendMessage(vt, server, kVideo, frame, size, RDK_DELIVERY_DROPPABLE, 0,
                      (uint64_t(kVideo) << 32) | frame)) {
        sentBytes += size;
      } else {
        refused++;
        server.needKey = true;
      }
      sentCount[kVideo]++;
      frame++;
      nextVideo += 33333;
    }
    if (t >= nextControl) {
      const size_t size = 100 + rng() % 1900;
      if (sendMessage(vt, server, kControl, uint32_t(sentCount[kControl]), size,
                      RDK_DELIVERY_RELIABLE, 0, 0)) {
        sentBytes += size;
      } else {
        refused++;
      }
      sentCount[kControl]++;
      nextControl += 50000 + rng() % 100000;
    }
    std::vector<uint64_t> acks;
    {
      std::lock_guard<std::mutex> lock(client.mutex);
      acks.swap(client.acksToSend);
    }
    for (size_t i = 0; i < acks.size(); ++i) {
      sendMessage(vt, client, kAck, uint32_t(i), 40, RDK_DELIVERY_RELIABLE, 0, 0);
      sentCount[kAck]++;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // let the tail arrive
  const double elapsed = (nowUs() - start) / 1e6;
  const uint64_t cpu = cpuUs() - cpu0;
  const uint64_t wire = relay.bytesForwarded() - relayBytes0;

  rdk_transport_stats ss{}, cs{};
  ss.struct_size = cs.struct_size = sizeof(ss);
  vt->get_stats(server.conn, &ss);
  vt->get_stats(client.conn, &cs);
  uint64_t retrans = ss.retransmissions + cs.retransmissions;
  if (transport == "tcp") {
    std::thread([&] {
      enterNetns(a["--server-ns"]);
      retrans = tcpRetransSegs() - retransBefore;
    }).join();
  }
  uint64_t payload = 0;
  for (int c = 0; c < 4; ++c)
    payload += client.bytes[c] + server.bytes[c];
  const double ctrlShare =
      datagram ? double(ss.control_datagrams_sent + cs.control_datagrams_sent) /
                     double(std::max<uint64_t>(1, ss.datagrams_sent + cs.datagrams_sent))
               : 0;
  auto ms = [](uint64_t us) { return us / 1000.0; };
  // Steady state: updates sent from 2 s on (start-up, before loss is measured, left out).
  std::vector<uint64_t> steady;
  std::vector<int> slowBySecond(static_cast<size_t>(seconds) + 1, 0);
  for (auto& [sent, lat] : client.screenSent) {
    if (sent >= start + 2000000)
      steady.push_back(lat);
    if (lat > 40000)  // one-way is ~21 ms: these waited for a repair round trip
      slowBySecond[std::min<size_t>((sent - start) / 1000000, seconds)]++;
  }
  std::string slow;
  for (int n : slowBySecond)
    slow += " " + std::to_string(n);
  std::fprintf(stderr, "%s loss %s: screen updates over 40 ms by second sent:%s\n", label.c_str(),
               a["--label"].c_str(), slow.c_str());
  // Under Gilbert-Elliott loss (a chain per direction that moves per packet) the client's
  // packet rate sets how long its loss runs last in time.
  std::fprintf(stderr, "%s loss %s: client -> server %.0f packets/s\n", label.c_str(),
               a["--label"].c_str(), double(relay.packetsFromA() - relayFromA0) / elapsed);
  std::printf(
      "| %-9s | %4s%% | %7.1f | %7.1f | %8.1f | %8.1f | %5.1f%% | %7.1f | %8.1f | %5.1f%% | %7.1f "
      "| "
      "%8.1f | %7.1f | %6.2f | %5.1f%% | %7llu | %5.1f%% | %6.1f |\n",
      label.c_str(), a["--label"].c_str(), ms(pct(client.latency[kScreen], 0.5)),
      ms(pct(client.latency[kScreen], 0.9)), ms(pct(client.latency[kScreen], 0.99)),
      ms(pct(steady, 0.99)),
      100.0 * client.count[kScreen] / std::max<uint64_t>(1, sentCount[kScreen]),
      ms(pct(client.latency[kVideo], 0.5)), ms(pct(client.latency[kVideo], 0.99)),
      100.0 * client.count[kVideo] / std::max<uint64_t>(1, sentCount[kVideo]),
      ms(pct(client.latency[kControl], 0.5)), ms(pct(client.latency[kControl], 0.99)),
      ms(pct(server.latency[kAck], 0.99)), payload * 8 / elapsed / 1e6,
      100.0 * (double(wire) / double(std::max<uint64_t>(1, payload)) - 1.0),
      static_cast<unsigned long long>(retrans), 100.0 * ctrlShare,
      (cpu - relay.cpuUs()) / 1000.0 / std::max(payload / 1e6, 1e-9));
  std::fprintf(stderr,
               "%s loss %s: srtt %.1f ms, mtu %u, key frames %llu, lost %llu, superseded %llu, "
               "refused %llu, bw est %.1f Mbit/s\n",
               label.c_str(), a["--label"].c_str(), ss.srtt_us / 1000.0, ss.mtu,
               (unsigned long long)keyFrames, (unsigned long long)server.lost.load(),
               (unsigned long long)server.superseded.load(), (unsigned long long)refused,
               ss.bandwidth_bps / 1e6);
  vt->connection_destroy(client.conn);
  vt->connection_destroy(server.conn);
  vt->listener_destroy(listener);
  close(tunA);
  close(tunB);
  return 0;
}

}  // namespace

int loopback(std::map<std::string, std::string> a);
#ifdef RDK_BENCH_ENET
int enetMixed(std::map<std::string, std::string> a);  // enet_bench.cpp
#endif
int srtStream(std::map<std::string, std::string> a);  // srt_bench.cpp

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: udp_bench mixed|loopback --option value ...\n");
    return 2;
  }
  const std::string mode = argv[1];
  try {
    if (mode == "mixed") {
      auto a = args(argc, argv);
#ifdef RDK_BENCH_ENET
      if (a["--transport"].rfind("enet", 0) == 0)
        return enetMixed(a);
#endif
      if (a["--transport"] == "srt")
        return srtStream(a);
      return mixed(a);
    }
    if (mode == "cable") {  // the cable alone, for flows that are not ours (run.sh's tbf runs)
      auto a = args(argc, argv);
      const int tunA = openTunIn(a["--client-ns"], a["--tun-a"]);
      const int tunB = openTunIn(a["--server-ns"], a["--tun-b"]);
      {
        TunRelay relay(tunA, tunB, cableImpairment(a));
        std::this_thread::sleep_for(std::chrono::seconds(std::stoi(a["--seconds"])));
      }
      close(tunA);
      close(tunB);
      return 0;
    }
    if (mode == "loopback")
      return loopback(args(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "udp_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
