#include "rdk/session/server_session.h"

namespace rdk::session {

SessionMetrics ServerSession::metrics() const {
  SessionMetrics m;
  m.id = id_;
  m.peer = peer_;
  m.transport = binding_.spec.scheme;
  if (const LatencyStats& rtt = liveness_.rtt(); rtt.count())
    m.rttMs = rtt.recentPercentile(50);
  if (streamer_) {
    const StreamStats& s = streamer_->stats();
    m.draws = s.draws;
    m.drawBytes = s.drawBytes;
    m.lost = s.lost;
    m.encodeErrors = s.encodeErrors;
  }
  const rdk_transport_stats t = channel_->stats();
  m.srttUs = t.srtt_us;
  m.lossPermille = t.loss_permille;
  m.retransmissions = t.retransmissions;
  return m;
}

}  // namespace rdk::session
