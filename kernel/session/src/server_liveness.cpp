#include "rdk/session/server_liveness.h"

#include <cstdlib>
#include <utility>

namespace rdk::session {

std::array<double, 3> ServerLiveness::systemLoad() {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) != 3)
    return {0, 0, 0};
  return {load[0], load[1], load[2]};
}

ServerLiveness::ServerLiveness(PacketSink& sink, const Clock& clock, uint64_t pingIntervalUs,
                               LoadSource load, WallClock wallClock)
    : sink_(sink),
      clock_(clock),
      pingIntervalUs_(pingIntervalUs),
      load_(std::move(load)),
      wallClock_(std::move(wallClock)) {}

void ServerLiveness::registerWith(protocol::MessageDispatcher& d) {
  d.on<protocol::Ping>([this](const protocol::Ping& p) { onPing(p); });
  d.on<protocol::PingEcho>([this](const protocol::PingEcho& e) { onPingEcho(e); });
}

void ServerLiveness::onPing(const protocol::Ping& ping) {
  const std::array<double, 3> load = load_();
  sink_.send(protocol::PingEcho{ping.timeMs, static_cast<int64_t>(load[0] * 1000),
                                static_cast<int64_t>(load[1] * 1000),
                                static_cast<int64_t>(load[2] * 1000),
                                rtt_.count() ? int64_t(rtt_.recentPercentile(50)) : -1, ""});
}

void ServerLiveness::onPingEcho(const protocol::PingEcho& echo) {
  rtt_.add(double(clock_.nowUs() / 1000) - double(echo.echoedTimeMs));
  clientLoad1000_ = echo.load1;
}

void ServerLiveness::tick() {
  const uint64_t nowUs = clock_.nowUs();
  if (pingIntervalUs_ == 0 || nowUs < nextPingUs_)
    return;  // server.ping-interval 0: never
  sink_.send(
      protocol::Ping{static_cast<int64_t>(nowUs / 1000), static_cast<int64_t>(wallClock_())});
  nextPingUs_ = nowUs + pingIntervalUs_;
}

}  // namespace rdk::session
