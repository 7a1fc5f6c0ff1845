// Which datagrams we received, and when an acknowledgement is due. Acks ride on data datagrams
// whenever there are any; a datagram of its own is sent only after max_ack_delay, after
// |ackEvery| ack-eliciting datagrams, or soon after a gap (so the sender's fast retransmit
// starts), which keeps control datagrams a small share in steady state.
#pragma once

#include <cstdint>
#include <optional>

#include "range_set.hpp"
#include "wire.hpp"

namespace rdk::udp {

class AckTracker {
 public:
  static constexpr size_t kMaxRanges = 24;

  /// False for a duplicate packet number (already seen).
  bool onReceived(uint64_t pn, bool ackEliciting, uint64_t nowUs, uint64_t srttUs,
                  uint64_t maxAckDelayUs, uint32_t ackEvery);
  /// When a standalone ack must be sent (UINT64_MAX when none is owed).
  uint64_t dueUs() const { return dueUs_; }
  bool hasNewInfo() const { return unacked_ > 0 || changed_; }
  /// The frame to send now; marks everything as acknowledged.
  std::optional<AckFrame> build(uint64_t nowUs);
  bool seen(uint64_t pn) const { return received_.contains(pn, pn + 1); }

 private:
  RangeSet received_;
  uint64_t largest_ = 0;
  bool any_ = false;
  uint64_t largestAtUs_ = 0;
  uint32_t unacked_ = 0;  // ack-eliciting datagrams since the last ack
  bool changed_ = false;  // non-eliciting news (worth piggybacking, never a reason alone)
  uint64_t dueUs_ = UINT64_MAX;
  uint64_t lastAckUs_ = 0;
};

}  // namespace rdk::udp
