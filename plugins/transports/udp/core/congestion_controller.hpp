// Congestion control interface and a delay/loss-burst aware rate controller.
//
// Why not loss-based AIMD: a remote display over Wi-Fi or a lossy WAN sees steady random loss that
// says nothing about congestion; Reno/CUBIC halve on every loss and collapse (the reason TCP stalls
// at 10-30% loss). This controller, like GCC's delay-based part and BBR, backs off when the
// queueing delay grows (min RTT of a round well above the path minimum) or when the loss of a round
// jumps well above its long-term average (a burst), and ignores loss that stays at its usual level.
#pragma once

#include <cstdint>

namespace rdk::udp {

struct RoundSample {
  uint64_t nowUs = 0;
  uint64_t durationUs = 0;
  uint64_t ackedBytes = 0;
  uint32_t ackedPackets = 0;
  uint32_t lostPackets = 0;
  uint32_t sentPackets = 0;  // ack-eliciting datagrams sent during the round
  uint32_t longestLossRun = 0;
  uint64_t minRttInRoundUs = 0;  // 0 = no sample
  uint64_t pathMinRttUs = 0;
  bool limitedByController = false;  // data waited for the pacer or the window this round
};

class CongestionController {
 public:
  virtual ~CongestionController() = default;
  virtual void onRound(const RoundSample& s) = 0;
  virtual uint64_t pacingRateBytesPerS() const = 0;
  virtual uint64_t windowBytes(uint64_t srttUs) const = 0;
  virtual uint64_t bandwidthEstimateBps() const = 0;
  virtual uint32_t lossPermille() const = 0;
};

struct ControllerConfig {
  uint64_t initialRate = 2500000;  // bytes/s (20 Mbit/s)
  uint64_t minRate = 64000;
  uint64_t maxRate = 2500000000ull;
  uint64_t delayThresholdUs = 8000;  // queueing delay that counts as congestion (at least)
};

class DelayLossController : public CongestionController {
 public:
  explicit DelayLossController(const ControllerConfig& c);
  void onRound(const RoundSample& s) override;
  uint64_t pacingRateBytesPerS() const override { return rate_; }
  uint64_t windowBytes(uint64_t srttUs) const override;
  uint64_t bandwidthEstimateBps() const override;
  uint32_t lossPermille() const override { return static_cast<uint32_t>(avgLoss_ * 1000); }
  bool inStartup() const { return startup_; }
  uint64_t decreases() const { return decreases_; }

 private:
  ControllerConfig config_;
  uint64_t rate_;
  bool startup_ = true;
  double avgLoss_ = 0;  // long-term loss rate (EWMA over rounds)
  bool haveLoss_ = false;
  // Until 8 packets were seen the average is their plain ratio: a sender of a few packets per
  // round (a client sending acks) must not read 1 lost of 2 as 50% loss.
  uint32_t firstLost_ = 0;
  uint32_t firstPackets_ = 0;
  double deliveredRate_ = 0;
  uint64_t decreases_ = 0;
};

}  // namespace rdk::udp
