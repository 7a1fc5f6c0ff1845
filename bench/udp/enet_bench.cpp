// The mixed remote-display workload over ENet (Debian's libenet 1.3.17), for the side-by-side of
// issue 15: same namespaces, TUN cable, delay and nftables loss as `udp_bench mixed`, same
// message sizes and rates (same random sequence), one row in the same table.
//
//   enet      screen updates and video frames on unreliable channels (ENET_PACKET_FLAG_
//             UNRELIABLE_FRAGMENT: a message with a lost fragment is dropped; each channel keeps
//             only the newest), control and acks reliable
//   enet-rel  everything reliable (ENet's ARQ alone)
//
// ENet has no loss callback, so a lost video frame does not trigger a key frame here (ours
// does); key frames come every 4 s. Columns ENet cannot fill (retransmissions, control datagram
// share) print 0.
#include <enet/enet.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tun_relay.hpp"

using namespace rdk::bench;

namespace {

enum Class : uint8_t { kScreen = 0, kVideo = 1, kControl = 2, kAck = 3 };
constexpr size_t kHeader = 16;

uint64_t now() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}
uint64_t cpu() {
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

struct Side {
  std::mutex mutex;
  std::vector<uint64_t> latency[4];
  std::vector<std::pair<uint64_t, uint64_t>> screenSent;
  uint64_t bytes[4] = {0, 0, 0, 0}, count[4] = {0, 0, 0, 0};
  void record(const uint8_t* d, size_t n) {
    if (n < kHeader)
      return;
    const uint8_t cls = d[0] & 3;
    uint64_t sent;
    std::memcpy(&sent, d + 8, 8);
    std::lock_guard<std::mutex> lock(mutex);
    latency[cls].push_back(now() - sent);
    if (cls == kScreen)
      screenSent.emplace_back(sent, latency[cls].back());
    bytes[cls] += n;
    count[cls]++;
  }
};

void send(ENetPeer* peer, uint8_t cls, uint32_t seq, size_t size, bool reliable) {
  std::vector<uint8_t> m(std::max(size, kHeader));
  m[0] = cls;
  std::memcpy(m.data() + 4, &seq, 4);
  const uint64_t t = now();
  std::memcpy(m.data() + 8, &t, 8);
  // Channel 0 reliable; screen and video each on their own unreliable channel.
  const uint8_t channel = reliable ? 0 : (cls == kScreen ? 1 : 2);
  const uint32_t flags =
      reliable ? ENET_PACKET_FLAG_RELIABLE : ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT;
  enet_peer_send(peer, channel, enet_packet_create(m.data(), m.size(), flags));
}

}  // namespace

int enetMixed(std::map<std::string, std::string> a) {
  const std::string label = a["--transport"];
  const bool allReliable = label == "enet-rel";
  const int seconds = std::stoi(a["--seconds"]);
  const rdk::udp::ImpairmentConfig delay = cableImpairment(a);
  const bool stream = a["--workload"] == "stream";
  const int tunA = openTunIn(a["--client-ns"], a["--tun-a"]);
  const int tunB = openTunIn(a["--server-ns"], a["--tun-b"]);
  TunRelay relay(tunA, tunB, delay);
  if (enet_initialize() != 0) {
    std::fprintf(stderr, "enet_initialize failed\n");
    return 1;
  }
  Side client, server;
  std::atomic<bool> connected{false}, stop{false};
  std::atomic<uint64_t> start{0}, sentCount[4] = {0, 0, 0, 0};
  uint64_t relayBytes0 = 0, cpu0 = 0;
  uint64_t keyFrames = 0;

  // The server: listens, then sends the workload from its own service loop (ENet hosts are not
  // thread-safe: each is used by one thread only).
  std::thread serverThread([&] {
    enterNetns(a["--server-ns"]);
    ENetAddress addr{};
    enet_address_set_host(&addr, a["--server-ip"].c_str());
    addr.port = 7799;
    ENetHost* host = enet_host_create(&addr, 1, 3, 0, 0);
    if (!host) {
      std::fprintf(stderr, "enet_host_create (server) failed\n");
      std::exit(1);
    }
    ENetPeer* peer = nullptr;
    ENetEvent ev;
    auto service = [&] {
      while (enet_host_service(host, &ev, 0) > 0) {
        if (ev.type == ENET_EVENT_TYPE_CONNECT) {
          peer = ev.peer;
          connected = true;
        } else if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
          server.record(ev.packet->data, ev.packet->dataLength);
          enet_packet_destroy(ev.packet);
        }
      }
    };
    while (!connected && !stop) {
      service();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::mt19937 rng(1234);  // the sequence udp_bench mixed uses
    uint64_t frame = 0;
    relayBytes0 = relay.bytesForwarded();
    cpu0 = cpu();
    start = now();
    uint64_t nextScreen = start, nextVideo = start, nextControl = start;
    while (now() - start < uint64_t(seconds) * 1000000) {
      const uint64_t t = now();
      if (stream) {  // 15 kB at 30 Hz on the screen channel only (the SRT side by side)
        if (t >= nextScreen) {
          send(peer, kScreen, uint32_t(sentCount[kScreen]++), kStreamBytes, allReliable);
          nextScreen += kStreamPeriodUs;
        }
        service();
        enet_host_flush(host);
        std::this_thread::sleep_for(std::chrono::microseconds(500));
        continue;
      }
      if (t >= nextScreen) {
        const size_t size = 1000 + rng() % 29000;
        send(peer, kScreen, uint32_t(sentCount[kScreen]++), size, allReliable);
        nextScreen += 16667;
      }
      if (t >= nextVideo) {
        const bool key = frame % 120 == 0;
        keyFrames += key;
        send(peer, kVideo, uint32_t(frame), key ? 60000 : 3000 + rng() % 5000, allReliable);
        sentCount[kVideo]++;
        frame++;
        nextVideo += 33333;
      }
      if (t >= nextControl) {
        send(peer, kControl, uint32_t(sentCount[kControl]++), 100 + rng() % 1900, true);
        nextControl += 50000 + rng() % 100000;
      }
      service();
      enet_host_flush(host);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const uint64_t tailEnd = now() + 1500000;  // let the tail arrive
    while (now() < tailEnd) {
      service();
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    stop = true;
    enet_host_destroy(host);
  });

  // The client: receives, answers each screen update with a 40-byte reliable ack.
  std::thread clientThread([&] {
    enterNetns(a["--client-ns"]);
    ENetHost* host = enet_host_create(nullptr, 1, 3, 0, 0);
    ENetAddress addr{};
    enet_address_set_host(&addr, a["--server-ip"].c_str());
    addr.port = 7799;
    ENetPeer* peer = host ? enet_host_connect(host, &addr, 3, 0) : nullptr;
    if (!peer) {
      std::fprintf(stderr, "enet connect failed\n");
      std::exit(1);
    }
    ENetEvent ev;
    uint32_t acks = 0;
    while (!stop) {
      while (enet_host_service(host, &ev, 1) > 0) {
        if (ev.type != ENET_EVENT_TYPE_RECEIVE)
          continue;
        client.record(ev.packet->data, ev.packet->dataLength);
        if (!stream && ev.packet->dataLength >= kHeader && (ev.packet->data[0] & 3) == kScreen) {
          send(peer, kAck, acks++, 40, true);
          sentCount[kAck]++;
        }
        enet_packet_destroy(ev.packet);
      }
      enet_host_flush(host);
    }
    enet_host_destroy(host);
  });
  serverThread.join();
  clientThread.join();
  enet_deinitialize();

  const double elapsed = (now() - start) / 1e6;
  const uint64_t wire = relay.bytesForwarded() - relayBytes0;
  const uint64_t used = cpu() - cpu0;
  uint64_t payload = 0;
  for (int c = 0; c < 4; ++c)
    payload += client.bytes[c] + server.bytes[c];
  std::vector<uint64_t> steady;
  for (auto& [sent, lat] : client.screenSent)
    if (sent >= start + 2000000)
      steady.push_back(lat);
  auto ms = [](uint64_t us) { return us / 1000.0; };
  std::printf(
      "| %-9s | %4s%% | %7.1f | %7.1f | %8.1f | %8.1f | %5.1f%% | %7.1f | %8.1f | %5.1f%% | %7.1f "
      "| "
      "%8.1f | %7.1f | %6.2f | %5.1f%% | %7d | %5.1f%% | %6.1f |\n",
      label.c_str(), a["--label"].c_str(), ms(pct(client.latency[kScreen], 0.5)),
      ms(pct(client.latency[kScreen], 0.9)), ms(pct(client.latency[kScreen], 0.99)),
      ms(pct(steady, 0.99)),
      100.0 * client.count[kScreen] / std::max<uint64_t>(1, sentCount[kScreen]),
      ms(pct(client.latency[kVideo], 0.5)), ms(pct(client.latency[kVideo], 0.99)),
      100.0 * client.count[kVideo] / std::max<uint64_t>(1, sentCount[kVideo]),
      ms(pct(client.latency[kControl], 0.5)), ms(pct(client.latency[kControl], 0.99)),
      ms(pct(server.latency[kAck], 0.99)), payload * 8 / elapsed / 1e6,
      100.0 * (double(wire) / double(std::max<uint64_t>(1, payload)) - 1.0), 0, 0.0,
      (used - relay.cpuUs()) / 1000.0 / std::max(payload / 1e6, 1e-9));
  std::fprintf(stderr, "%s loss %s: key frames %llu (ENet: no loss callback, no key on loss)\n",
               label.c_str(), a["--label"].c_str(), (unsigned long long)keyFrames);
  close(tunA);
  close(tunB);
  return 0;
}
