// Smoothed RTT and variance (RFC 6298 / RFC 9002 5.3) and a windowed minimum.
#pragma once

#include <algorithm>
#include <cstdint>

namespace rdk::udp {

class RttEstimator {
 public:
  static constexpr uint64_t kInitialRttUs = 100000;
  static constexpr uint64_t kMinRttWindowUs = 10000000;

  void onSample(uint64_t sampleUs, uint64_t ackDelayUs, uint64_t nowUs) {
    latest_ = sampleUs;
    if (minRtt_ == 0 || sampleUs <= minRtt_ || nowUs - minRttStampUs_ > kMinRttWindowUs) {
      minRtt_ = sampleUs;
      minRttStampUs_ = nowUs;
    }
    // Discount the peer's ack delay only when the result stays above the minimum.
    uint64_t adjusted = sampleUs;
    if (adjusted >= minRtt_ + ackDelayUs)
      adjusted -= ackDelayUs;
    if (!hasSample_) {
      hasSample_ = true;
      srtt_ = adjusted;
      rttvar_ = adjusted / 2;
      return;
    }
    const uint64_t diff = srtt_ > adjusted ? srtt_ - adjusted : adjusted - srtt_;
    rttvar_ = (3 * rttvar_ + diff) / 4;
    srtt_ = (7 * srtt_ + adjusted) / 8;
  }
  bool hasSample() const { return hasSample_; }
  uint64_t srttUs() const { return hasSample_ ? srtt_ : kInitialRttUs; }
  uint64_t rttvarUs() const { return hasSample_ ? rttvar_ : kInitialRttUs / 2; }
  uint64_t minRttUs() const { return minRtt_ ? minRtt_ : srttUs(); }
  uint64_t latestUs() const { return hasSample_ ? latest_ : kInitialRttUs; }

 private:
  bool hasSample_ = false;
  uint64_t srtt_ = 0, rttvar_ = 0, latest_ = 0, minRtt_ = 0, minRttStampUs_ = 0;
};

}  // namespace rdk::udp
