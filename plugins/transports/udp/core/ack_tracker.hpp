// Which datagrams we received, and when an acknowledgement is due. Acks ride on data datagrams
// whenever there are any; a datagram of its own is sent only after max_ack_delay, after
// |ackEvery| ack-eliciting datagrams, or soon after a gap (so the sender's fast retransmit
// starts), which keeps control datagrams a small share in steady state.
//
// An ack reports only the ranges holding a datagram received in the last two round trips (plus
// the ack delay): by then the sender has had several acks for it or declared it lost, so older
// ranges carry nothing it can use. Reporting the last 24 ranges always, as before, made every
// ack ~200 bytes at 10% loss (3.7% of the payload of a 15 kB, 30 Hz stream, simulated).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "range_set.hpp"
#include "wire.hpp"

namespace rdk::udp {

class AckTracker {
 public:
  static constexpr size_t kMaxRanges = 24;
  static constexpr uint64_t kMinHistoryUs = 20000;
  static constexpr size_t kMaxRecent = 4096;  // receive times kept (memory bound)
  static constexpr uint64_t kMaxGapAckSpacingUs = 5000;
  static constexpr uint64_t kGapWaitUs = 2000;

  /// False for a duplicate packet number (already seen).
  bool onReceived(uint64_t pn, bool ackEliciting, uint64_t nowUs, uint64_t srttUs,
                  uint64_t maxAckDelayUs, uint32_t ackEvery);
  /// When a standalone ack must be sent (UINT64_MAX when none is owed).
  uint64_t dueUs() const { return dueUs_; }
  /// Worth an ack frame in the next datagram: something ack-eliciting arrived, or news of
  /// non-eliciting datagrams (they move the peer's largest acknowledged, which its loss detection
  /// counts from) and no ack went out for a quarter round trip.
  bool hasNewInfo(uint64_t nowUs) const {
    return unacked_ > 0 || (changed_ && nowUs >= lastAckUs_ + piggybackGapUs_);
  }
  /// The frame to send now; marks everything as acknowledged.
  std::optional<AckFrame> build(uint64_t nowUs);
  bool seen(uint64_t pn) const { return received_.contains(pn, pn + 1); }
  /// The most bytes the next ack frame can take (every range still remembered).
  size_t maxFrameSize() const;

 private:
  void popOldestReceipt();
  void forgetOldReceipts(uint64_t nowUs);

  RangeSet received_;
  std::deque<std::pair<uint64_t, uint64_t>> recent_;  // (packet number, received at), in order
  std::deque<uint64_t> recentMin_;  // ascending; front: the smallest packet number in recent_
  uint64_t historyUs_ = kMinHistoryUs;
  uint64_t piggybackGapUs_ = 5000;
  uint64_t largest_ = 0;
  bool any_ = false;
  uint64_t largestAtUs_ = 0;
  uint32_t unacked_ = 0;  // ack-eliciting datagrams since the last ack
  bool changed_ = false;  // non-eliciting news (worth piggybacking, never a reason alone)
  uint64_t dueUs_ = UINT64_MAX;
  uint64_t lastAckUs_ = 0;
};

}  // namespace rdk::udp
