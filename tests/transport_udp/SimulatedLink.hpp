// Two sessions joined by a simulated lossy link in virtual time: tests of the reliability core at
// 30% loss run in milliseconds and are deterministic (fixed seeds).
#pragma once

#include <arpa/inet.h>

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "impairment.hpp"
#include "session.hpp"
#include "wire.hpp"

namespace rdk::udp::test {

inline PeerAddress v4(uint16_t port) {
  PeerAddress a;
  auto* sin = reinterpret_cast<sockaddr_in*>(&a.storage);
  sin->sin_family = AF_INET;
  sin->sin_port = htons(port);
  sin->sin_addr.s_addr = htonl(0x7f000001);
  a.length = sizeof(sockaddr_in);
  return a;
}

struct Received {
  std::vector<uint8_t> data;
  uint64_t atUs;
};

class SimulatedLink {
 public:
  /// |serverOptions|: the server's, when they differ from the client's (e.g. an old peer).
  SimulatedLink(const UdpOptions& options, const ImpairmentConfig& forward,
                const ImpairmentConfig& backward, uint64_t seed = 42,
                const UdpOptions* serverOptions = nullptr)
      : clientAddr_(v4(1111)),
        serverAddr_(v4(2222)),
        client(std::make_shared<Session>(7, true, options, serverAddr_, 1, seed)),
        clientFrom(clientAddr_),
        server(std::make_shared<Session>(7, false, serverOptions ? *serverOptions : options,
                                         clientAddr_, 1, seed + 1)),
        toServer_(forward, seed + 2),
        toClient_(backward, seed + 3) {}

  /// Runs until |untilUs| of virtual time.
  void runUntil(uint64_t untilUs) {
    while (now < untilUs) {
      step();
      uint64_t next =
          std::min({client->nextWakeUs(now), server->nextWakeUs(now), untilUs, nextHook_});
      if (!queue_.empty())
        next = std::min(next, queue_.begin()->first);
      now = std::max(next, now + 1);
      if (hook && now >= nextHook_)
        nextHook_ = hook(now);
    }
  }
  void step() {
    // Deliver what is due.
    while (!queue_.empty() && queue_.begin()->first <= now) {
      auto node = queue_.extract(queue_.begin());
      auto& [toServer, bytes] = node.mapped();
      auto h = parseHeader(bytes.data(), bytes.size());
      if (!h)
        continue;
      if (toServer) {
        if (h->type == DatagramType::kInitial) {
          // The endpoint's part (the cookie exchange is elsewhere): features, then ACCEPT again.
          server->setPeerFeatures(
              initialFeatures(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize));
          server->onRepeatedInitial();
          continue;
        }
        server->onDatagram(*h, bytes.data() + kHeaderSize, bytes.size() - kHeaderSize, clientFrom,
                           now);
      } else {
        client->onDatagram(*h, bytes.data() + kHeaderSize, bytes.size() - kHeaderSize, serverAddr_,
                           now);
      }
    }
    pump(client, true);
    pump(server, false);
    collect(client, clientEvents);
    collect(server, serverEvents);
  }
  void pump(const std::shared_ptr<Session>& s, bool toServer) {
    std::vector<OutDatagram> out;
    s->produce(now, out, 64);
    for (auto& d : out) {
      wireBytes += d.bytes.size();
      datagrams++;
      if (blackout && now >= blackoutFrom && now < blackoutTo)
        continue;
      if (maxDatagram && d.bytes.size() > maxDatagram && d.pn) {
        s->onDatagramTooBig(d.pn, 0, now);
        continue;
      }
      if (dropIf && dropIf(toServer, d.bytes))
        continue;
      // A rate cap towards the client (a tbf qdisc): a FIFO drained at bottleneckBps that
      // drops arrivals once its backlog exceeds bottleneckQueueUs (tail drop).
      uint64_t queuedUs = 0;
      if (!toServer && bottleneckBps) {
        const uint64_t start = std::max(now, bottleneckFreeUs_);
        if (start - now > bottleneckQueueUs) {
          bottleneckDrops++;
          continue;
        }
        bottleneckFreeUs_ = start + d.bytes.size() * 8 * 1000000 / bottleneckBps;
        queuedUs = bottleneckFreeUs_ - now;
        maxQueuedUs = std::max(maxQueuedUs, queuedUs);
      }
      auto& imp = toServer ? toServer_ : toClient_;
      for (uint64_t at : imp.decide(now))
        queue_.emplace(at + queuedUs, std::make_pair(toServer, d.bytes));
    }
  }
  void collect(const std::shared_ptr<Session>& s, std::vector<SessionEvent>& into) {
    std::vector<SessionEvent> ev;
    s->takeEvents(ev);
    for (auto& e : ev) {
      if (e.kind == SessionEvent::Kind::kData) {
        receivedAt.push_back(now);
      }
      into.push_back(std::move(e));
    }
  }
  std::vector<std::vector<uint8_t>> data(const std::vector<SessionEvent>& ev) const {
    std::vector<std::vector<uint8_t>> out;
    for (auto& e : ev) {
      if (e.kind == SessionEvent::Kind::kData)
        out.push_back(e.data);
    }
    return out;
  }

  uint64_t now = 1;
  PeerAddress clientAddr_, serverAddr_;
  std::shared_ptr<Session> client;
  PeerAddress clientFrom;  // the source address the server sees (changes when the client roams)
  std::shared_ptr<Session> server;
  Impairment toServer_, toClient_;
  std::multimap<uint64_t, std::pair<bool, std::vector<uint8_t>>> queue_;
  std::vector<SessionEvent> clientEvents, serverEvents;
  std::vector<uint64_t> receivedAt;
  std::function<uint64_t(uint64_t)> hook;  // returns its next call time
  uint64_t nextHook_ = UINT64_MAX;
  void setHook(std::function<uint64_t(uint64_t)> fn, uint64_t firstUs) {
    hook = std::move(fn);
    nextHook_ = firstUs;
  }
  // Chosen losses: datagrams for which it returns true never arrive.
  std::function<bool(bool toServer, const std::vector<uint8_t>&)> dropIf;
  bool blackout = false;
  uint64_t blackoutFrom = 0, blackoutTo = 0;
  size_t maxDatagram = 0;
  uint64_t wireBytes = 0, datagrams = 0;
  uint64_t bottleneckBps = 0, bottleneckQueueUs = 200000;  // server -> client rate cap, 0 = none
  uint64_t bottleneckFreeUs_ = 0, bottleneckDrops = 0, maxQueuedUs = 0;
};

}  // namespace rdk::udp::test
