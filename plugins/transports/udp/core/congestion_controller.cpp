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
    const bool firstQueue = startup_ || !delayCut_;
    if (delayGrew)
      delayCut_ = true;
    startup_ = false;
    double next = static_cast<double>(rate_) * 0.85;
    // A standing queue means the path delivers less than we send: go below what it delivered
    // (the bottleneck's rate), so the queue drains within a few rounds instead of shrinking by
    // 15% of an overshoot per round (under a tbf cap: 100+ ms of queue for seconds). Only when
    // this round sent clearly more datagrams than it saw answered (acked or lost): the queue is
    // then ours and growing. A delay swing on a loaded host, with everything answered, must not
    // put an application-limited sender below its own (the application's) rate.
    const bool outpacing = s.sentPackets > (s.ackedPackets + s.lostPackets) * 11 / 10 + 2;
    // The first queue seen (leaving start-up, or after an application-limited start-up) is
    // drained as BBR's drain does, down below what the path delivered: start-up overshot it, and
    // 0.85x of that left the queue growing for several more rounds (CongestionTest at 5 Mbit/s).
    if (delayGrew && (outpacing || firstQueue) && deliveredRate_ > 0)
      next = std::min(next, deliveredRate_ * 0.85);
    rate_ = static_cast<uint64_t>(next);
    ++decreases_;
  } else if (s.limitedByController && startup_ && !sentNearRate(s)) {
    startup_ = false;  // application-limited: no doubling, grow as after start-up from now on
  } else if (s.limitedByController) {
    rate_ = startup_ ? rate_ * 2 : static_cast<uint64_t>(static_cast<double>(rate_) * 1.08);
  }
  rate_ = std::clamp(rate_, config_.minRate, config_.maxRate);
}

bool DelayLossController::sentNearRate(const RoundSample& s) const {
  // Start-up doubles only for a sender that used at least half the rate over the round: one whose
  // bursts (a 15 kB update leaves at the pacing rate) wait for the pacer but whose average stays
  // far below the rate is application-limited, and doubling it took a 6 Mbit/s stream to 80 Mbit/s
  // within 0.3 s and filled a 5 Mbit/s bottleneck's queue before the first delay signal. Such a
  // sender leaves start-up and grows x1.08 per limited round (a high pacing rate still matters to
  // it: an update leaves faster).
  if (s.durationUs == 0)
    return true;
  return static_cast<double>(s.sentBytes) * 1e6 / static_cast<double>(s.durationUs) >=
         0.5 * static_cast<double>(rate_);
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
