// Forward error correction for droppable messages (screen updates): the sender XORs each group of
// first-sent fragments of a message into one PARITY frame; a receiver missing exactly one
// fragment of a group rebuilds it at once instead of waiting a round trip for the resend. At 10%
// loss a 12-fragment update arrives whole 28% of the time; with a parity per 4 fragments, 78%.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "range_set.hpp"
#include "wire.hpp"

namespace rdk::udp {

struct PendingParity {
  uint64_t seq = 0;
  uint32_t total = 0;
  std::vector<ParitySlot> slots;
  std::vector<uint8_t> data;  // XOR of the slots, each zero-padded to the longest
};

class ParityEncoder {
 public:
  /// Fragments per parity; 0 turns parity off (open groups are dropped).
  void setGroupSize(size_t fragments);
  size_t groupSize() const { return groupSize_; }
  /// A droppable fragment going out for the first time (resends are not grouped: the receiver
  /// already has a parity for them, or they replace what it lost).
  void onFirstSend(uint64_t seq, uint32_t total, uint32_t offset, const uint8_t* data,
                   uint16_t length);
  /// Parities of full groups and of groups whose message has no more bytes to send.
  std::vector<PendingParity> takeReady();
  bool hasReady() const { return !ready_.empty(); }

 private:
  static constexpr size_t kMaxOpenGroups = 32;
  /// Emits the group when it has at least |minSlots| fragments, then forgets it.
  void close(std::map<uint64_t, PendingParity>::iterator it, size_t minSlots);

  size_t groupSize_ = 0;
  std::map<uint64_t, PendingParity> open_;  // by message seq
  std::vector<PendingParity> ready_;
};

/// A parity kept by the receiver until its message completes.
struct StoredParity {
  std::vector<ParitySlot> slots;
  std::vector<uint8_t> data;
};

/// The one slot of |parity| missing from |received| when every other slot of it is there (the
/// slots lie inside a message of |total| bytes); nullopt when none or more than one is missing.
std::optional<ParitySlot> recoverableSlot(const StoredParity& parity, uint32_t total,
                                          const RangeSet& received);
/// Writes the rebuilt |missing| slot into |message|, which holds every other slot of |parity| and
/// reaches the end of |missing|.
void rebuildSlot(const StoredParity& parity, const ParitySlot& missing,
                 std::vector<uint8_t>& message);

}  // namespace rdk::udp
