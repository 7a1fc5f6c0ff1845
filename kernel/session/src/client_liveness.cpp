#include "rdk/session/client_liveness.h"

#include <algorithm>

namespace rdk::session {

void Liveness::registerWith(protocol::MessageDispatcher& d) {
  d.on<protocol::Ping>([this](const protocol::Ping& p) { onPing(p); });
  d.on<protocol::PingEcho>([this](const protocol::PingEcho& e) { onPingEcho(e); });
}

void Liveness::onPing(const protocol::Ping& ping) {
  sink_.send(protocol::PingEcho{ping.timeMs, 0, 0, 0,
                                static_cast<int64_t>(rtt_.recentPercentile(50)), ""});
}

void Liveness::onPingEcho(const protocol::PingEcho& echo) {
  ++sequence_.echoed;
  if (echo.echoedTimeMs <= lastEchoedMs_)
    ++sequence_.outOfOrder;
  lastEchoedMs_ = std::max(lastEchoedMs_, echo.echoedTimeMs);
  rtt_.add(double(clock_.nowUs() / 1000) - double(echo.echoedTimeMs));
}

void Liveness::tick() {
  const uint64_t nowUs = clock_.nowUs();
  if (nowUs < nextPingUs_)
    return;
  // Strictly increasing even if two pings fell in one millisecond (a clock that stepped).
  const int64_t pingMs = std::max(static_cast<int64_t>(nowUs / 1000), lastPingMs_ + 1);
  lastPingMs_ = pingMs;
  sink_.send(protocol::Ping{pingMs, std::nullopt});
  ++sequence_.sent;
  nextPingUs_ = nowUs + kPingIntervalUs;
}

}  // namespace rdk::session
