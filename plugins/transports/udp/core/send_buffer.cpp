#include "send_buffer.hpp"
#include "elapsed.hpp"

#include <algorithm>

namespace rdk::udp {

bool SendBuffer::admit(MessageClass cls, std::vector<uint8_t>&& data, uint64_t packetId,
                       uint64_t key, uint64_t nowUs, std::vector<LostNotice>& lost, bool strong) {
  if (cls == MessageClass::kDroppable && key != 0) {
    auto it = byKey_.find(key);
    if (it != byKey_.end()) {
      auto old = it->second;
      byKey_.erase(it);
      // An older message with half its bytes or more already on the wire is let finish: under
      // a sustained overload (updates offered faster than the path takes them) cancelling the one
      // being sent for the next, which is then cancelled in turn, delivers nothing at all.
      const uint64_t unsent = old->pending.covered();
      const bool mostlySent = !old->data.empty() && 2 * unsent <= old->data.size();
      if (!old->finished && !mostlySent) {
        lost.push_back({old->packetId, true});
        ++superseded_;
        finish(old);
      }
    }
  }
  // One oversized message is accepted into an empty buffer, or it could never be sent.
  if (bytes_ > 0 && bytes_ + data.size() > capacity_)
    return false;
  auto m = std::make_shared<OutMessage>();
  m->cls = cls;
  m->seq = nextSeq_[static_cast<int>(cls)]++;
  m->data = std::move(data);
  m->packetId = packetId;
  m->supersedeKey = key;
  m->strong = strong;
  m->enqueueUs = nowUs;
  m->pending.add(0, m->data.size());
  bytes_ += m->data.size();
  live_[{static_cast<int>(cls), m->seq}] = m;
  if (cls == MessageClass::kDroppable && key != 0)
    byKey_[key] = m;
  if (m->data.empty()) {
    // An empty message still needs one (empty) fragment to exist at the receiver.
    m->pending.clear();
    m->queued = true;
    newQueue_.push_back(m);
    return true;
  }
  enqueue(m, false);
  return true;
}

void SendBuffer::enqueue(const std::shared_ptr<OutMessage>& m, bool resend) {
  if (m->queued) {
    if (!resend)
      return;
    // Already waiting as new data; resent bytes go out with it.
    return;
  }
  m->queued = true;
  if (resend)
    resendQueue_.push_back(m);
  else if (m->data.size() <= kSmallMessageBytes)
    smallQueue_.push_back(m);
  else
    newQueue_.push_back(m);
}

namespace {

bool hasBytesToSend(const OutMessage& m) {
  return !m.finished && (m.data.empty() || !m.pending.empty());
}

}  // namespace

size_t SendBuffer::leadingResendBytes() const {
  for (const auto& m : smallQueue_) {
    if (hasBytesToSend(*m))
      return 0;
  }
  for (const auto& m : resendQueue_) {
    if (hasBytesToSend(*m)) {
      if (m->data.empty())
        return 0;
      const auto first = *m->pending.map().begin();
      return static_cast<size_t>(first.second - first.first);
    }
  }
  return 0;
}

Chunk SendBuffer::next(size_t maxLength, size_t maxDroppableLength, size_t wholeResendUpTo) {
  // Small new messages (sound frames, input, acks: one datagram or less) go before resends
  // and bulk: behind a backlog of screen updates they would wait as long as the backlog.
  for (auto* q : {&smallQueue_, &resendQueue_, &newQueue_}) {
    while (!q->empty()) {
      auto m = q->front();
      if (m->finished) {
        m->queued = false;
        q->pop_front();
        continue;
      }
      if (m->data.empty()) {  // the empty message (see admit)
        m->queued = false;
        q->pop_front();
        return Chunk{m, 0, 0};
      }
      if (m->pending.empty()) {
        m->queued = false;
        q->pop_front();
        continue;
      }
      const auto first = *m->pending.map().begin();
      // Parity covers first sends only, so only they leave room for its slot list.
      const bool firstSend = q != &resendQueue_;
      const size_t limit = m->cls == MessageClass::kDroppable && firstSend
                               ? std::min(maxLength, maxDroppableLength)
                               : maxLength;
      // Put off once only: datagrams that always start with something else (copies, input)
      // would otherwise hold it back for good.
      if (!firstSend && wholeResendUpTo > 0 && !m->resendPutOff &&
          std::min<uint64_t>({first.second - first.first, wholeResendUpTo, 65535}) > limit) {
        m->resendPutOff = true;
        break;  // to the new bytes; this resend leads the next datagram whole
      }
      m->resendPutOff = false;
      const uint64_t len = std::min<uint64_t>({first.second - first.first, limit, 65535});
      m->pending.remove(first.first, first.first + len);
      if (m->pending.empty()) {
        m->queued = false;
        q->pop_front();
      }
      return Chunk{m, static_cast<uint32_t>(first.first), static_cast<uint16_t>(len),
                   q == &resendQueue_};
    }
  }
  return Chunk{};
}

bool SendBuffer::onAcked(const Chunk& c) {
  auto& m = c.msg;
  if (m->finished)
    return false;
  m->acked.add(c.offset, c.offset + c.length);
  m->pending.remove(c.offset, c.offset + c.length);
  if (m->acked.contains(0, m->data.size()) || m->data.empty()) {
    finish(m);
    return true;
  }
  return false;
}

void SendBuffer::onDelivered(uint64_t seq) {
  auto it = live_.find({static_cast<int>(MessageClass::kDroppable), seq});
  if (it == live_.end())
    return;
  const std::shared_ptr<OutMessage> m = it->second;  // finish() erases the entry holding it
  finish(m);
}

void SendBuffer::onLost(const Chunk& c) {
  auto& m = c.msg;
  if (m->finished)
    return;
  if (m->data.empty()) {  // resend the empty fragment
    if (!m->queued) {
      m->queued = true;
      resendQueue_.push_back(m);
    }
    return;
  }
  // Only the bytes no other datagram has delivered meanwhile.
  RangeSet add;
  add.add(c.offset, c.offset + c.length);
  for (auto& [b, e] : m->acked.map())
    add.remove(b, e);
  if (add.empty())
    return;
  for (auto& [b, e] : add.map()) {
    m->pending.add(b, e);
    m->retransmittedBytes += static_cast<uint32_t>(e - b);
  }
  enqueue(m, true);
}

void SendBuffer::expireDroppable(uint64_t nowUs, uint64_t deadlineUs,
                                 std::vector<LostNotice>& lost) {
  std::vector<std::shared_ptr<OutMessage>> doomed;
  for (auto it = live_.lower_bound({1, 0}); it != live_.end(); ++it) {
    if (elapsedUs(nowUs, it->second->enqueueUs) <= deadlineUs)
      break;  // ordered by seq = by age
    doomed.push_back(it->second);
  }
  for (auto& m : doomed) {
    lost.push_back({m->packetId, false});
    finish(m);
  }
}

uint64_t SendBuffer::oldestReliableAgeUs(uint64_t nowUs) const {
  auto it = live_.lower_bound({0, 0});
  if (it == live_.end() || it->first.first != 0)
    return 0;
  return elapsedUs(nowUs, it->second->enqueueUs);
}

std::shared_ptr<OutMessage> SendBuffer::oldestUnacked() const {
  std::shared_ptr<OutMessage> best;
  for (int cls = 0; cls < 2; ++cls) {
    auto it = live_.lower_bound({cls, 0});
    if (it == live_.end() || it->first.first != cls)
      continue;
    if (!best || it->second->enqueueUs < best->enqueueUs)
      best = it->second;
  }
  return best;
}

void SendBuffer::finish(const std::shared_ptr<OutMessage>& m) {
  if (m->finished)
    return;
  m->finished = true;
  m->pending.clear();
  bytes_ -= m->data.size();
  live_.erase({static_cast<int>(m->cls), m->seq});
  if (m->supersedeKey) {
    auto it = byKey_.find(m->supersedeKey);
    if (it != byKey_.end() && it->second == m)
      byKey_.erase(it);
  }
  // Datagrams in flight may still reference it; the bytes go with the last reference.
  std::vector<uint8_t>().swap(m->data);
}

}  // namespace rdk::udp
