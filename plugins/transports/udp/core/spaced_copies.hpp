// Second copies of small reliable messages (input, acks, pings, cursors, window metadata: one or
// two fragments), sent a little after the first copy. A small message that is lost waits for loss
// detection and a resend (at least one round trip); a copy that travels in another datagram arrives
// in its place. The copy is spaced in time, not put in the next datagram, because losses come in
// bursts: the Gilbert-Elliott cable of bench/udp loses 3.3 consecutive datagrams on average and two
// copies in adjacent datagrams would mostly be lost together.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "send_buffer.hpp"

namespace rdk::udp {

class SpacedCopies {
 public:
  /// Pending copies beyond this drop the earliest: a copy only saves a round trip, and a sender
  /// this far behind has a standing queue that makes the spacing meaningless anyway.
  static constexpr size_t kMaxPending = 256;
  /// Reliable messages up to this size get copies (each of their fragments).
  static constexpr size_t kMaxMessageBytes = 2048;
  /// Copies made at first send (before any loss) spend a budget: 1/kBudgetShare of the bytes
  /// sent first plus kBudgetBytesPerS whatever is sent (typing on an idle desktop is all small
  /// messages, and their copies cost little in absolute terms); up to kMaxCredit of it can be
  /// saved up.
  static constexpr uint64_t kBudgetShare = 16;
  static constexpr uint64_t kBudgetBytesPerS = 4096;
  static constexpr uint64_t kMaxCredit = 16384;

  /// How long after the first copy the second goes: a quarter of the round trip (the copy must
  /// still beat a resend by far) but at least 2 ms (a burst at loopback speed) and at most 25 ms.
  static uint64_t spacingUs(uint64_t srttUs);
  /// Whether |c| is (part of) a small reliable message, the kind that gets a copy.
  static bool wants(const Chunk& c);
  /// |bytes| were sent for the first time at |nowUs|: the copy budget grows by 1/kBudgetShare of
  /// them and by kBudgetBytesPerS for the time since the last call.
  void earn(size_t bytes, uint64_t nowUs);
  /// Takes |bytes| from the budget if it holds them.
  bool spend(size_t bytes);

  /// Under bursts of losses (a mean run of at least this many datagrams) a first send gets a
  /// second copy, twice as far out: the first copy is lost with the first send too often.
  static constexpr double kBurstForSecondCopy = 2.0;

  /// |c| goes again at or after |dueUs| unless its message finished by then; one pending copy per
  /// fragment (a second schedule of the same bytes keeps the earlier one) unless |another| (the
  /// second copy of a first send under bursts).
  void schedule(const Chunk& c, uint64_t dueUs, bool another = false);
  /// The earliest due copy of an unfinished message no longer than |room| bytes; finished ones
  /// met on the way are forgotten.
  std::optional<Chunk> takeDue(uint64_t nowUs, size_t room);
  /// Whether a copy of an unfinished message is due at |nowUs|.
  bool anyDue(uint64_t nowUs) const;
  /// When the next copy of an unfinished message falls due (UINT64_MAX: none).
  uint64_t nextDueUs() const;
  size_t pending() const { return pending_.size(); }
  void clear() { pending_.clear(); }

 private:
  std::multimap<uint64_t, Chunk> pending_;  // due time -> copy
  uint64_t credit_ = 0;                     // bytes, times kBudgetShare
  uint64_t earnedUs_ = 0;                   // when time last added to the budget
};

}  // namespace rdk::udp
