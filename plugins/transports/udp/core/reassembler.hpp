// Receiving side of messages: puts fragments together, hands reliable messages over exactly once
// and in order, droppable ones as soon as they are complete (never behind a reliable gap), and
// keeps its memory bounded (partial droppables are evicted oldest first; reliable data beyond the
// bound is refused so that its datagram is not acknowledged and the sender resends it later).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "parity.hpp"
#include "range_set.hpp"
#include "wire.hpp"

namespace rdk::udp {

struct InMessage {
  uint32_t total = 0;
  std::vector<uint8_t> data;
  RangeSet received;
  uint64_t firstUs = 0;
  bool complete() const { return received.contains(0, total) || total == 0; }
};

class Reassembler {
 public:
  explicit Reassembler(size_t capacityBytes) : capacity_(capacityBytes) {}

  /// Whether all these fragments can be stored (memory bound, sane sequence numbers). Checked
  /// for a whole datagram before any of it is used or acknowledged.
  bool canAccept(const std::vector<FragmentFrame>& frags);
  /// Stores one fragment; complete messages are appended to |deliver| in delivery order.
  /// Returns false for a fragment that contradicts an earlier one (a protocol error).
  bool add(const FragmentFrame& f, uint64_t nowUs, std::vector<std::vector<uint8_t>>& deliver);
  /// Keeps a parity of a droppable message and rebuilds a missing fragment with it when it can
  /// (now or when more fragments arrive); a message that becomes complete goes to |deliver|.
  void addParity(const ParityFrame& p, uint64_t nowUs, std::vector<std::vector<uint8_t>>& deliver);
  /// Drops partial droppable messages older than |maxAgeUs|.
  void expire(uint64_t nowUs, uint64_t maxAgeUs);
  size_t bufferedBytes() const { return buffered_; }
  uint64_t duplicates() const { return duplicates_; }
  uint64_t evicted() const { return evicted_; }
  /// Fragments rebuilt from parity instead of waiting for their resend.
  uint64_t recovered() const { return recovered_; }

 private:
  static constexpr uint64_t kDroppableWindow = 1u << 16;  // ids older than this are stale
  static constexpr uint64_t kReliableWindow = 1u << 20;   // messages ahead of the next expected

  bool droppableDone(uint64_t seq) const;
  void markDroppableDone(uint64_t seq);
  void evictOldestDroppable();
  /// A new, empty message entry of |total| bytes in |table| (counted in the buffer bound).
  std::map<uint64_t, InMessage>::iterator open(std::map<uint64_t, InMessage>& table, uint64_t seq,
                                               uint32_t total, uint64_t nowUs);
  /// Removes a droppable message (finished, evicted or expired) and its parities.
  void forgetDroppable(std::map<uint64_t, InMessage>::iterator it);
  /// Applies the message's parities; delivers it if that completes it.
  void recoverDroppable(std::map<uint64_t, InMessage>::iterator it,
                        std::vector<std::vector<uint8_t>>& deliver);

  size_t capacity_;
  size_t buffered_ = 0;
  uint64_t nextReliable_ = 0;
  std::map<uint64_t, InMessage> reliable_;
  std::map<uint64_t, InMessage> droppable_;
  uint64_t droppableHigh_ = 0;                              // highest droppable id finished + 1
  std::set<uint64_t> droppableDone_;                        // finished ids inside the window
  std::map<uint64_t, std::vector<StoredParity>> parities_;  // droppable seq -> its parities
  size_t parityBytes_ = 0;                                  // bounded by a quarter of capacity_
  uint64_t duplicates_ = 0, evicted_ = 0, recovered_ = 0;
};

}  // namespace rdk::udp
