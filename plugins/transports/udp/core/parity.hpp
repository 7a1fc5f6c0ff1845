// Forward error correction for droppable messages (screen updates): the sender groups the
// first-sent fragments of a message and sends, per group, either one XOR parity (PARITY frame,
// version-1 peers: rebuilds one missing fragment) or m Reed-Solomon parity shards (FEC frame:
// rebuilds any m missing fragments), m chosen per group by the session from the measured loss. At
// 10% loss a 12-fragment update arrives whole 28% of the time; with one XOR parity per 4 fragments
// 78%; with 12 + 4 Reed-Solomon shards 98%.
#pragma once

#include <cstdint>
#include <functional>
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
  std::vector<uint8_t> data;  // XOR of the slots (count 0), or Reed-Solomon shard |index|
  uint8_t count = 0;          // Reed-Solomon parities of the group; 0 for XOR
  uint8_t index = 0;
};

/// Reed-Solomon parities for a closed group of |k| fragments; |strong| for key frames and small
/// urgent messages. 0 sends none.
using ParityCountFn = std::function<size_t(size_t k, bool strong)>;

class ParityEncoder {
 public:
  /// Fragments per group; 0 turns parity off (open groups are dropped).
  void setGroupSize(size_t fragments);
  size_t groupSize() const { return groupSize_; }
  /// Reed-Solomon groups with |count| parities each (null: one XOR parity per group, for peers
  /// without kFeatureReedSolomon). Open groups are dropped when the scheme changes.
  void setReedSolomon(ParityCountFn count);
  bool reedSolomon() const { return static_cast<bool>(count_); }
  /// A droppable fragment going out for the first time (resends are not grouped: the receiver
  /// already has a parity for them, or they replace what it lost). |strong|: the message deserves
  /// more protection (decided at its first fragment).
  void onFirstSend(uint64_t seq, uint32_t total, uint32_t offset, const uint8_t* data,
                   uint16_t length, bool strong = false);
  /// Parities of full groups and of groups whose message has no more bytes to send.
  std::vector<PendingParity> takeReady();
  bool hasReady() const { return !ready_.empty(); }

 private:
  static constexpr size_t kMaxOpenGroups = 32;

  struct OpenGroup {
    PendingParity parity;                      // slots; the running XOR in XOR mode
    std::vector<std::vector<uint8_t>> copies;  // the fragments, Reed-Solomon mode
    bool strong = false;
  };
  /// Emits the group when it has at least |minSlots| fragments, then forgets it.
  void close(std::map<uint64_t, OpenGroup>::iterator it, size_t minSlots);

  size_t groupSize_ = 0;
  ParityCountFn count_;
  std::map<uint64_t, OpenGroup> open_;  // by message seq
  std::vector<PendingParity> ready_;
};

/// A parity kept by the receiver until its message completes.
struct StoredParity {
  std::vector<ParitySlot> slots;
  std::vector<uint8_t> data;
  uint8_t count = 0;  // Reed-Solomon: shard |index| of |count|; 0: XOR
  uint8_t index = 0;
};

/// Rebuilds what the Reed-Solomon shards |group| (same slots, distinct indices) can of |message|
/// (missing slots per |received|, at most as many as shards): writes the rebuilt slots into
/// |message| (which must reach the end of every slot) and returns them; nothing when more slots
/// are missing than there are shards.
std::vector<ParitySlot> missingSlots(const std::vector<ParitySlot>& slots, uint32_t total,
                                     const RangeSet& received);
bool rebuildReedSolomon(const std::vector<const StoredParity*>& group,
                        const std::vector<ParitySlot>& missing, std::vector<uint8_t>& message);

/// The one slot of |parity| missing from |received| when every other slot of it is there (the
/// slots lie inside a message of |total| bytes); nullopt when none or more than one is missing.
std::optional<ParitySlot> recoverableSlot(const StoredParity& parity, uint32_t total,
                                          const RangeSet& received);
/// Writes the rebuilt |missing| slot into |message|, which holds every other slot of |parity| and
/// reaches the end of |missing|.
void rebuildSlot(const StoredParity& parity, const ParitySlot& missing,
                 std::vector<uint8_t>& message);

}  // namespace rdk::udp
