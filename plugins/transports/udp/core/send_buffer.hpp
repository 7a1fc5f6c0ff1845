// Outgoing messages until they are acknowledged, superseded or given up: what is still to send
// (new bytes and lost bytes to resend), superseding by key, and the byte bound behind AGAIN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "range_set.hpp"
#include "wire.hpp"

namespace rdk::udp {

struct OutMessage {
  MessageClass cls = MessageClass::kReliable;
  uint64_t seq = 0;
  std::vector<uint8_t> data;
  uint64_t packetId = 0;
  uint64_t supersedeKey = 0;
  uint64_t enqueueUs = 0;
  RangeSet acked;
  RangeSet pending;       // bytes to (re)send
  bool finished = false;  // acknowledged, superseded or given up
  bool queued = false;    // on a send queue
  uint32_t retransmittedBytes = 0;
  bool strong = false;  // droppable that deserves more parity (key frame, small urgent message)
  bool resendPutOff = false;  // its resend waited once for a datagram that holds it whole
};

struct Chunk {
  std::shared_ptr<OutMessage> msg;
  uint32_t offset = 0;
  uint16_t length = 0;
  bool resend = false;  // bytes sent before (lost, or a probe)
};

struct LostNotice {
  uint64_t packetId;
  bool superseded;
};

class SendBuffer {
 public:
  static constexpr size_t kSmallMessageBytes = 1024;
  explicit SendBuffer(size_t capacityBytes) : capacity_(capacityBytes) {}

  /// False when the message does not fit (AGAIN). Older droppables with the same key are
  /// cancelled into |lost|, unless half of them or more was sent already (they finish).
  bool admit(MessageClass cls, std::vector<uint8_t>&& data, uint64_t packetId, uint64_t key,
             uint64_t nowUs, std::vector<LostNotice>& lost, bool strong = false);
  /// The next bytes to put in a datagram: small new messages, then resends, then the rest; an
  /// empty Chunk when idle.
  /// Droppable fragments sent for the first time are cut no longer than |maxDroppableLength|
  /// (room for their parity).
  /// Lost bytes that a datagram of |wholeResendUpTo| bytes of room would carry in one piece are
  /// not cut to fit |maxLength| (new bytes fill the room instead; the resend leads the next
  /// datagram): a resend in two pieces is lost when either is, so it would be lost twice as often
  /// as the fragment it replaces. 0: resends are cut like new bytes.
  Chunk next(size_t maxLength, size_t maxDroppableLength = SIZE_MAX, size_t wholeResendUpTo = 0);
  /// The length of the lost range the next datagram would start with (0: none leads).
  size_t leadingResendBytes() const;
  bool hasPending() const {
    return !smallQueue_.empty() || !resendQueue_.empty() || !newQueue_.empty();
  }
  /// Returns true when the message became fully acknowledged.
  bool onAcked(const Chunk& c);
  /// The receiver completed droppable message |seq| (with parity): nothing more to send for it.
  void onDelivered(uint64_t seq);
  /// Lost bytes are queued for resending unless the message is finished.
  void onLost(const Chunk& c);
  /// Droppable messages older than |deadlineUs| (unsent parts included) are given up.
  void expireDroppable(uint64_t nowUs, uint64_t deadlineUs, std::vector<LostNotice>& lost);
  /// Age of the oldest unacknowledged reliable message, 0 when none.
  uint64_t oldestReliableAgeUs(uint64_t nowUs) const;
  /// The oldest unfinished message with unacknowledged bytes (for a probe).
  std::shared_ptr<OutMessage> oldestUnacked() const;
  size_t bytes() const { return bytes_; }
  size_t messages() const { return live_.size(); }
  uint64_t superseded() const { return superseded_; }

 private:
  void finish(const std::shared_ptr<OutMessage>& m);
  void enqueue(const std::shared_ptr<OutMessage>& m, bool resend);

  size_t capacity_;
  size_t bytes_ = 0;
  uint64_t nextSeq_[2] = {0, 0};
  // Live messages by (class, seq); ordered so the oldest come first.
  std::map<std::pair<int, uint64_t>, std::shared_ptr<OutMessage>> live_;
  std::map<uint64_t, std::shared_ptr<OutMessage>> byKey_;
  std::deque<std::shared_ptr<OutMessage>> smallQueue_;  // new messages of kSmallMessageBytes
  std::deque<std::shared_ptr<OutMessage>> resendQueue_;
  std::deque<std::shared_ptr<OutMessage>> newQueue_;
  uint64_t superseded_ = 0;
};

}  // namespace rdk::udp
