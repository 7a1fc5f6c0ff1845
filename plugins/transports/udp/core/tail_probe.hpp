// A PING shortly after a datagram that ends a burst worth repairing quickly, when nothing else
// followed it: a datagram that carried lost bytes again, or the last datagram of a screen update
// of several datagrams. If that datagram is lost, the PING arrives behind a hole, the receiver
// acknowledges at once (a gap), and the time threshold declares the loss 9/8 of a round trip
// after the lost datagram left. Without it the loss shows only when later traffic is acknowledged:
// for a 30 Hz stream the next update, 33 ms on, so a lost resend (or lost last fragment) missed a
// 130 ms deadline that a quick second repair would meet. Simulated, 15 kB at 30 Hz, 10% loss each
// way, 20 ms one way, repair only, 80 seeds: updates complete by the deadline 98.0% -> 98.8%, p99
// 135 -> 129 ms, at the same wire overhead (19.9%): the PINGs and the acks they draw (+0.9 point)
// are paid for by fewer updates sent in vain (docs/udp.md, issue 15 seventh session).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace rdk::udp {

class TailProbe {
 public:
  /// Soon after (the probe must come before the receiver's delayed ack would), but not in the
  /// same instant: a paced burst's neighbours share its fate more often than a later datagram.
  static uint64_t delayUs(uint64_t srttUs) {
    return std::clamp<uint64_t>(srttUs / 8, kMinDelayUs, kMaxDelayUs);
  }
  /// A screen update gets a probe after its last datagram from this many datagrams on: below, a
  /// PING would cost more than ~1% of the update's bytes.
  static constexpr uint64_t kMinUpdateDatagrams = 4;

  void arm(uint64_t pn, uint64_t nowUs, uint64_t srttUs) {
    pn_ = pn;
    dueUs_ = nowUs + delayUs(srttUs);
  }
  uint64_t dueUs() const { return dueUs_; }
  /// When due: the datagram it follows (the caller sends a PING unless that one was acknowledged
  /// or other datagrams followed it). Disarms.
  std::optional<uint64_t> takeDue(uint64_t nowUs) {
    if (nowUs < dueUs_)
      return std::nullopt;
    dueUs_ = UINT64_MAX;
    return pn_;
  }

 private:
  static constexpr uint64_t kMinDelayUs = 2000;
  static constexpr uint64_t kMaxDelayUs = 25000;
  uint64_t dueUs_ = UINT64_MAX;
  uint64_t pn_ = 0;
};

}  // namespace rdk::udp
