// Token-bucket pacer: spreads bursts (a key frame, a big screen update) over time at the
// controller's rate instead of writing them back to back at line rate (Moonlight's lesson).
#pragma once

#include <algorithm>
#include <cstdint>

namespace rdk::udp {

class Pacer {
 public:
  /// |burstUs| worth of bytes may leave back to back (at least two datagrams).
  void configure(uint64_t rateBytesPerS, size_t mtu, uint64_t burstUs = 2000) {
    rate_ = std::max<uint64_t>(rateBytesPerS, 1);
    capacity_ = std::max<uint64_t>(2 * mtu, rate_ * burstUs / 1000000);
  }
  bool canSend(uint64_t nowUs, size_t bytes) {
    refill(nowUs);
    return tokens_ >= static_cast<double>(std::min<uint64_t>(bytes, capacity_));
  }
  void onSent(uint64_t nowUs, size_t bytes) {
    refill(nowUs);
    tokens_ -= static_cast<double>(bytes);
  }
  /// When |bytes| may leave.
  uint64_t nextSendUs(uint64_t nowUs, size_t bytes) {
    refill(nowUs);
    const double need = static_cast<double>(std::min<uint64_t>(bytes, capacity_)) - tokens_;
    if (need <= 0)
      return nowUs;
    return nowUs + static_cast<uint64_t>(need * 1e6 / static_cast<double>(rate_)) + 1;
  }

 private:
  void refill(uint64_t nowUs) {
    if (lastUs_ == 0) {
      lastUs_ = nowUs;
      tokens_ = static_cast<double>(capacity_);
      return;
    }
    if (nowUs > lastUs_) {
      tokens_ += static_cast<double>(nowUs - lastUs_) * static_cast<double>(rate_) / 1e6;
      tokens_ = std::min(tokens_, static_cast<double>(capacity_));
      lastUs_ = nowUs;
    }
  }
  uint64_t rate_ = 1;
  uint64_t capacity_ = 0;
  double tokens_ = 0;
  uint64_t lastUs_ = 0;
};

}  // namespace rdk::udp
