#include "reassembler.hpp"
#include "elapsed.hpp"

#include <cstring>

namespace rdk::udp {

bool Reassembler::droppableDone(uint64_t seq) const {
  if (seq + kDroppableWindow < droppableHigh_)
    return true;  // stale
  return droppableDone_.count(seq) > 0;
}

void Reassembler::markDroppableDone(uint64_t seq) {
  droppableDone_.insert(seq);
  if (seq + 1 > droppableHigh_)
    droppableHigh_ = seq + 1;
  while (!droppableDone_.empty() && *droppableDone_.begin() + kDroppableWindow < droppableHigh_) {
    droppableDone_.erase(droppableDone_.begin());
  }
}

bool Reassembler::canAccept(const std::vector<FragmentFrame>& frags) {
  size_t extra = 0;
  for (auto& f : frags) {
    if (f.cls == MessageClass::kReliable) {
      if (f.seq < nextReliable_)
        continue;  // duplicate, harmless
      if (f.seq >= nextReliable_ + kReliableWindow)
        return false;
      if (!reliable_.count(f.seq))
        extra += f.total;
    } else if (!droppableDone(f.seq) && !droppable_.count(f.seq)) {
      extra += f.total;
    }
  }
  if (buffered_ + extra <= capacity_)
    return true;
  // Make room by giving up partial droppables, oldest first; reliable data is never discarded.
  while (buffered_ + extra > capacity_ && !droppable_.empty())
    evictOldestDroppable();
  return buffered_ + extra <= capacity_ || buffered_ == 0;
}

void Reassembler::evictOldestDroppable() {
  auto it = droppable_.begin();
  buffered_ -= it->second.total;
  markDroppableDone(it->first);
  droppable_.erase(it);
  ++evicted_;
}

bool Reassembler::add(const FragmentFrame& f, uint64_t nowUs,
                      std::vector<std::vector<uint8_t>>& deliver) {
  const bool reliable = f.cls == MessageClass::kReliable;
  if (reliable ? f.seq < nextReliable_ : droppableDone(f.seq)) {
    ++duplicates_;
    return true;
  }
  auto& table = reliable ? reliable_ : droppable_;
  auto it = table.find(f.seq);
  if (it == table.end()) {
    InMessage m;
    m.total = f.total;
    m.data.resize(f.total);
    m.firstUs = nowUs;
    buffered_ += f.total;
    it = table.emplace(f.seq, std::move(m)).first;
  } else if (it->second.total != f.total) {
    return false;
  }
  InMessage& m = it->second;
  if (m.received.contains(f.offset, f.offset + f.length) && f.length > 0) {
    ++duplicates_;
  } else if (f.length > 0) {
    std::memcpy(m.data.data() + f.offset, f.data, f.length);
    m.received.add(f.offset, f.offset + f.length);
  }
  if (!m.complete())
    return true;
  if (!reliable) {
    buffered_ -= m.total;
    deliver.push_back(std::move(m.data));
    droppable_.erase(it);
    markDroppableDone(f.seq);
    return true;
  }
  // In order: hand over every complete message from the next expected one on.
  while (true) {
    auto next = reliable_.find(nextReliable_);
    if (next == reliable_.end() || !next->second.complete())
      break;
    buffered_ -= next->second.total;
    deliver.push_back(std::move(next->second.data));
    reliable_.erase(next);
    ++nextReliable_;
  }
  return true;
}

void Reassembler::expire(uint64_t nowUs, uint64_t maxAgeUs) {
  for (auto it = droppable_.begin(); it != droppable_.end();) {
    if (elapsedUs(nowUs, it->second.firstUs) > maxAgeUs) {
      buffered_ -= it->second.total;
      markDroppableDone(it->first);
      it = droppable_.erase(it);
      ++evicted_;
    } else {
      ++it;
    }
  }
}

}  // namespace rdk::udp
