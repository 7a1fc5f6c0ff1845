// Receiving side of messages: puts fragments together, hands reliable messages over exactly once
// and in order, droppable ones as soon as they are complete (never behind a reliable gap), and
// keeps its memory bounded.
//
// Memory: a message grows with the bytes that arrived (to at most twice its highest byte, never
// beyond its claimed length), so a fragment that claims 16 MiB costs what it carries, not 16 MiB.
// Every byte held (message buffers, received-range bookkeeping, parities, entries) is counted, per
// connection and in the endpoint's shared ReceiveBudget, before it is stored: a datagram whose
// fragments do not fit is refused *before* it is acknowledged (partial droppables are evicted
// oldest first to make room), so the sender resends it later and nothing acknowledged is lost.
//
// Per connection (limit L, one message costing at most M = min(L, 17 MiB)): room for one whole
// message is always kept for the next expected reliable message (the head), so it can always
// complete and the stream never deadlocks behind data that arrived out of order; everything else
// (later reliable messages, droppables, parities) shares L - M. A claim above M is refused at its
// first fragment. Until trust(), L is the small untrusted capacity (256 KiB by default) and equals
// M: only the head (the hello) is reassembled. In the shared budget, a trusted connection's head
// is never refused (at most M per connection over the total); everything else is.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "parity.hpp"
#include "range_set.hpp"
#include "receive_budget.hpp"
#include "wire.hpp"

namespace rdk::udp {

struct InMessage {
  uint32_t total = 0;
  std::vector<uint8_t> data;  // bytes [0, highest received end); holes are zero
  RangeSet received;
  uint64_t receivedBytes = 0;  // covered by |received|
  uint64_t firstUs = 0;
  bool rebuilt = false;  // a fragment came from parity (droppable)
  size_t cost = 0;       // bytes counted for this entry (buffer capacity + bookkeeping)
  bool complete() const { return received.contains(0, total) || total == 0; }
};

class Reassembler {
 public:
  /// Bookkeeping counted per message entry, per received range and per stored parity.
  static constexpr size_t kEntryCost = 160;
  static constexpr size_t kRangeCost = 64;
  static constexpr size_t kParityCost = 96;
  /// The smallest buffer a message gets (less when the message is shorter).
  static constexpr size_t kMinBuffer = 1024;
  /// The most one message may cost: the largest message plus room for its bookkeeping.
  static constexpr size_t kMaxMessageCost = kMaxMessageSize + (1u << 20);
  /// A trusted connection can hold a head message and as much again of other data.
  static constexpr size_t kMinTrustedCapacity = 2 * kMaxMessageCost;

  enum class Verdict {
    kAccept,  // stored room for every fragment of the datagram: process it
    kRefuse,  // no room now: drop the datagram unacknowledged (the sender resends later)
    kFatal,   // a message this connection can never hold (fatalReason() says which)
  };

  /// |capacity|: bytes per connection once trusted (at least kMinTrustedCapacity); until trust(),
  /// |untrustedCapacity| (0: trusted from the start). |budget|: shared with the endpoint's other
  /// connections (none: this connection's limits only).
  explicit Reassembler(size_t capacity, size_t untrustedCapacity = 0,
                       std::shared_ptr<ReceiveBudget> budget = nullptr);
  ~Reassembler();
  Reassembler(const Reassembler&) = delete;
  Reassembler& operator=(const Reassembler&) = delete;

  /// Whether all these fragments can be stored (memory bound, sane sequence numbers). Checked
  /// for a whole datagram before any of it is used or acknowledged; on kAccept the room is taken
  /// until settle().
  Verdict canAccept(const std::vector<FragmentFrame>& frags);
  /// Gives back what canAccept() took and add() did not use (call once the datagram is done).
  void settle();
  /// Stores one fragment; complete messages are appended to |deliver| in delivery order.
  /// Returns false for a fragment that contradicts an earlier one (a protocol error).
  bool add(const FragmentFrame& f, uint64_t nowUs, std::vector<std::vector<uint8_t>>& deliver);
  /// Keeps a parity of a droppable message and rebuilds a missing fragment with it when it can
  /// (now or when more fragments arrive); a message that becomes complete goes to |deliver|.
  void addParity(const ParityFrame& p, uint64_t nowUs, std::vector<std::vector<uint8_t>>& deliver);
  /// Drops partial droppable messages older than |maxAgeUs|.
  void expire(uint64_t nowUs, uint64_t maxAgeUs);
  /// The peer has been trusted: from now on the connection may hold |capacity| bytes.
  void trust();
  bool trusted() const { return trusted_; }
  /// The bytes this connection may hold now (L), and the most one message may cost (M).
  size_t limit() const { return trusted_ ? capacity_ : untrustedCapacity_; }
  size_t maxMessageCost() const { return std::min(limit(), kMaxMessageCost); }

  /// Bytes held now (buffers by capacity, plus bookkeeping).
  size_t bufferedBytes() const { return held_; }
  /// Messages refused at their first fragment: their claimed length is more than the connection
  /// may hold (droppable, or reliable while not trusted yet).
  uint64_t refusedClaims() const { return refusedClaims_; }
  /// Datagrams refused for want of room (this connection's limit or the shared budget).
  uint64_t refusedDatagrams() const { return refusedDatagrams_; }
  const std::string& fatalReason() const { return fatalReason_; }
  uint64_t duplicates() const { return duplicates_; }
  uint64_t evicted() const { return evicted_; }
  /// Fragments rebuilt from parity instead of waiting for their resend.
  uint64_t recovered() const { return recovered_; }
  /// Droppable messages completed since the last call that needed parity to complete (their
  /// sender still waits for acks of the fragments we rebuilt).
  std::vector<uint64_t> takeCompletedWithParity() {
    return std::exchange(completedWithParity_, {});
  }

 private:
  static constexpr uint64_t kDroppableWindow = 1u << 16;  // ids older than this are stale
  static constexpr uint64_t kReliableWindow = 1u << 20;   // messages ahead of the next expected

  bool droppableDone(uint64_t seq) const;
  void markDroppableDone(uint64_t seq);
  void evictOldestDroppable();
  /// A new, empty message entry of |total| bytes in |table| (its bookkeeping counted).
  std::map<uint64_t, InMessage>::iterator open(std::map<uint64_t, InMessage>& table, uint64_t seq,
                                               uint32_t total, uint64_t nowUs);
  /// Removes a droppable message (finished, evicted or expired) and its parities.
  void forgetDroppable(std::map<uint64_t, InMessage>::iterator it);
  /// Applies the message's parities; delivers it if that completes it.
  void recoverDroppable(std::map<uint64_t, InMessage>::iterator it,
                        std::vector<std::vector<uint8_t>>& deliver);
  /// Makes |m| hold bytes [0, end) (growing its buffer geometrically, within its claimed length).
  static void grow(InMessage& m, uint64_t end);
  /// The buffer capacity |m| would have after grow(m, end) from |capacity|.
  static size_t grownCapacity(size_t capacity, uint64_t end, uint32_t total);
  /// Re-counts |m| after its buffer or ranges changed.
  void recount(InMessage& m);
  /// Marks [begin, end) of |m| received.
  static void markReceived(InMessage& m, uint64_t begin, uint64_t end);
  /// What storing a datagram would change (see canAccept()).
  struct Plan;
  Plan plan(const std::vector<FragmentFrame>& frags) const;
  /// Bytes counted for the head (the next expected reliable message), 0 when none of it arrived.
  size_t headCost() const;
  /// Takes |bytes| of non-head data now (this connection's limit less the head's room, and the
  /// shared budget); false when it does not fit.
  bool take(size_t bytes);
  /// Gives back |bytes| that were held.
  void release(size_t bytes);

  const size_t capacity_;
  const size_t untrustedCapacity_;
  std::shared_ptr<ReceiveBudget> budget_;
  bool trusted_;
  size_t held_ = 0;     // bytes held now
  size_t charged_ = 0;  // bytes taken from the budget (held_ plus a datagram's reservation)
  uint64_t nextReliable_ = 0;
  std::map<uint64_t, InMessage> reliable_;
  std::map<uint64_t, InMessage> droppable_;
  uint64_t droppableHigh_ = 0;                              // highest droppable id finished + 1
  std::vector<uint64_t> droppableDone_;                     // bitmap of the window, by id % size
  std::map<uint64_t, std::vector<StoredParity>> parities_;  // droppable seq -> its parities
  size_t parityBytes_ = 0;                                  // bounded by a quarter of limit()
  uint64_t duplicates_ = 0, evicted_ = 0, recovered_ = 0;
  std::vector<uint64_t> completedWithParity_;  // bounded: the session takes it every datagram
  uint64_t refusedClaims_ = 0, refusedDatagrams_ = 0;
  std::string fatalReason_;
};

}  // namespace rdk::udp
