// The server's liveness handler: answers a client's ping with ping_echo carrying the server's
// load averages and our recent round trip (as Xpra 3.1.3 servers do), measures round trips from
// the client's echoes of our pings, and sends a ping every interval. The session's timeout
// (nothing received for server.ping-timeout) stays in the session: it watches every packet.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/session/handler_interfaces.h"
#include "rdk/session/latency_stats.h"

namespace rdk::session {

class ServerLiveness {
 public:
  /// The 1, 5 and 15 minute load averages.
  using LoadSource = std::function<std::array<double, 3>()>;
  /// Wall-clock milliseconds since the epoch (the ping's second field).
  using WallClock = std::function<uint64_t()>;
  /// getloadavg(), zeros when it fails.
  static std::array<double, 3> systemLoad();

  ServerLiveness(PacketSink& sink, const Clock& clock, uint64_t pingIntervalUs,
                 LoadSource load = systemLoad, WallClock wallClock = wallClockMs);

  void registerWith(protocol::MessageDispatcher& dispatcher);
  /// ping -> ping_echo [time, load1, load5, load15 (x1000), our median RTT (ms) or -1, ""].
  void onPing(const protocol::Ping& ping);
  /// ping_echo -> one RTT sample (now in ms - the echoed time) and the client's load.
  void onPingEcho(const protocol::PingEcho& echo);
  /// Sends a ping [monotonic ms, wall-clock ms] when one is due (the first at once); never
  /// with an interval of 0.
  void tick();
  /// Round trips in ms.
  const LatencyStats& rtt() const { return rtt_; }
  /// The client's 1-minute load average x1000 from its last echo; -1 before any.
  int64_t clientLoad1000() const { return clientLoad1000_; }

 private:
  PacketSink& sink_;
  const Clock& clock_;
  const uint64_t pingIntervalUs_;
  const LoadSource load_;
  const WallClock wallClock_;
  LatencyStats rtt_;
  int64_t clientLoad1000_ = -1;
  uint64_t nextPingUs_ = 0;
};

}  // namespace rdk::session
