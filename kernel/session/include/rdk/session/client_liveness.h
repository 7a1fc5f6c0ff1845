// The client's liveness: answers the server's pings (ping_echo with our recent RTT), measures
// the round trip of its own pings from their echoes, and pings every 2 s.
#pragma once

#include <cstdint>

#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/session/handler_interfaces.h"
#include "rdk/session/latency_stats.h"

namespace rdk::session {

class Liveness {
 public:
  static constexpr uint64_t kPingIntervalUs = 2'000'000;

  Liveness(PacketSink& sink, const Clock& clock) : sink_(sink), clock_(clock) {}

  void registerWith(protocol::MessageDispatcher& dispatcher);
  /// ping -> ping_echo [time, 0, 0, 0, our median RTT (ms), ""].
  void onPing(const protocol::Ping& ping);
  /// ping_echo -> one RTT sample: now (ms) - the echoed time.
  void onPingEcho(const protocol::PingEcho& echo);
  /// Sends a ping [now in ms] when one is due (the first at once).
  void tick();
  /// Round trips in ms.
  const LatencyStats& rtt() const { return rtt_; }
  /// The ping stream as a check of the transport's reliable delivery: our pings carry strictly
  /// increasing times, so their echoes must come back once each and in order.
  struct PingSequence {
    uint64_t sent = 0;
    uint64_t echoed = 0;
    uint64_t outOfOrder = 0;  // an echo of a time not after the previous echo (late or twice)
  };
  const PingSequence& sequence() const { return sequence_; }

 private:
  PacketSink& sink_;
  const Clock& clock_;
  LatencyStats rtt_;
  uint64_t nextPingUs_ = 0;
  int64_t lastPingMs_ = -1;
  int64_t lastEchoedMs_ = -1;
  PingSequence sequence_;
};

}  // namespace rdk::session
