#include "congestion_controller.hpp"

#include <algorithm>

namespace rdk::udp {

DelayLossController::DelayLossController(const ControllerConfig& c)
    : config_(c), rate_(c.initialRate) {}

void DelayLossController::onRound(const RoundSample& s) {
  const uint32_t packets = s.ackedPackets + s.lostPackets;
  if (packets == 0)
    return;
  const double roundLoss = static_cast<double>(s.lostPackets) / packets;
  if (s.durationUs > 0) {
    const double r = static_cast<double>(s.ackedBytes) * 1e6 / static_cast<double>(s.durationUs);
    deliveredRate_ = deliveredRate_ == 0 ? r : 0.8 * deliveredRate_ + 0.2 * r;
  }
  // Queueing delay: the best RTT of this round against the path minimum, so random jitter on
  // single samples does not look like a standing queue.
  bool delayGrew = false;
  if (s.minRttInRoundUs && s.pathMinRttUs) {
    const uint64_t threshold = std::max(config_.delayThresholdUs, s.pathMinRttUs / 2);
    delayGrew = s.minRttInRoundUs > s.pathMinRttUs + threshold;
  }
  // A burst: clearly more loss than usual in this round (at least double the long-term rate and
  // 15 points above it), or a run of consecutive losses. Steady random loss, however high, moves
  // the long-term average instead and never triggers a back-off.
  if (!haveLoss_) {
    firstLost_ += s.lostPackets;
    firstPackets_ += packets;
    avgLoss_ = static_cast<double>(firstLost_) / firstPackets_;
    haveLoss_ = firstPackets_ >= 8;
  }
  const bool lossBurst =
      (packets >= 8 && s.lostPackets >= 3 && roundLoss > std::max(2 * avgLoss_, avgLoss_ + 0.15)) ||
      s.longestLossRun >= 6;
  const double weight = packets >= 16 ? 0.125 : 0.05;
  avgLoss_ += (roundLoss - avgLoss_) * (lossBurst ? weight / 4 : weight);

  if (delayGrew || lossBurst) {
    startup_ = false;
    double next = static_cast<double>(rate_) * 0.85;
    // A standing queue means the path delivers less than we send: go below what it delivered
    // (the bottleneck's rate), so the queue drains within a few rounds instead of shrinking by
    // 15% of an overshoot per round (under a tbf cap: 100+ ms of queue for seconds). Only when
    // this round sent clearly more datagrams than it saw answered (acked or lost): the queue is
    // then ours and growing. A delay swing on a loaded host, with everything answered, must not
    // put an application-limited sender below its own (the application's) rate.
    const bool outpacing = s.sentPackets > (s.ackedPackets + s.lostPackets) * 11 / 10 + 2;
    if (delayGrew && outpacing && deliveredRate_ > 0)
      next = std::min(next, deliveredRate_ * 0.85);
    rate_ = static_cast<uint64_t>(next);
    ++decreases_;
  } else if (s.limitedByController) {
    rate_ = startup_ ? rate_ * 2 : static_cast<uint64_t>(static_cast<double>(rate_) * 1.08);
  }
  rate_ = std::clamp(rate_, config_.minRate, config_.maxRate);
}

uint64_t DelayLossController::windowBytes(uint64_t srttUs) const {
  // Two rate-RTT products keep the pipe full while an ack is on its way; a floor for tiny RTTs.
  const uint64_t bdp = rate_ * std::max<uint64_t>(srttUs, 5000) / 1000000;
  return std::max<uint64_t>(2 * bdp, 256 * 1024);
}

uint64_t DelayLossController::bandwidthEstimateBps() const {
  return static_cast<uint64_t>(std::max<double>(deliveredRate_, 0) * 8) > rate_ * 8
             ? static_cast<uint64_t>(deliveredRate_ * 8)
             : rate_ * 8;
}

}  // namespace rdk::udp
