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

std::map<uint64_t, InMessage>::iterator Reassembler::open(std::map<uint64_t, InMessage>& table,
                                                          uint64_t seq, uint32_t total,
                                                          uint64_t nowUs) {
  InMessage m;
  m.total = total;
  m.data.resize(total);
  m.firstUs = nowUs;
  buffered_ += total;
  return table.emplace(seq, std::move(m)).first;
}

void Reassembler::evictOldestDroppable() {
  forgetDroppable(droppable_.begin());
  ++evicted_;
}

void Reassembler::forgetDroppable(std::map<uint64_t, InMessage>::iterator it) {
  buffered_ -= it->second.total;
  markDroppableDone(it->first);
  if (auto p = parities_.find(it->first); p != parities_.end()) {
    for (const auto& parity : p->second)
      parityBytes_ -= parity.data.size();
    parities_.erase(p);
  }
  droppable_.erase(it);
}

void Reassembler::recoverDroppable(std::map<uint64_t, InMessage>::iterator it,
                                   std::vector<std::vector<uint8_t>>& deliver) {
  auto p = parities_.find(it->first);
  if (p == parities_.end())
    return;
  InMessage& m = it->second;
  // One rebuilt fragment can complete another group's set: go round until nothing changes.
  for (bool progress = true; progress && !m.complete();) {
    progress = false;
    for (const auto& parity : p->second) {
      if (recoverFromParity(parity, m.data, m.received)) {
        ++recovered_;
        progress = true;
      }
    }
  }
  if (!m.complete())
    return;
  deliver.push_back(std::move(m.data));
  forgetDroppable(it);
}

void Reassembler::addParity(const ParityFrame& f, uint64_t nowUs,
                            std::vector<std::vector<uint8_t>>& deliver) {
  if (droppableDone(f.seq) || parityBytes_ + f.length > capacity_ / 4)
    return;  // finished already, or parity would crowd out data: it is only a shortcut
  auto it = droppable_.find(f.seq);
  if (it == droppable_.end()) {
    if (buffered_ + f.total > capacity_)
      return;
    it = open(droppable_, f.seq, f.total, nowUs);
  } else if (it->second.total != f.total) {
    return;  // contradicts the fragments: ignore the parity, keep the data
  }
  StoredParity stored{f.slots, std::vector<uint8_t>(f.data, f.data + f.length)};
  parityBytes_ += stored.data.size();
  parities_[f.seq].push_back(std::move(stored));
  recoverDroppable(it, deliver);
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
    it = open(table, f.seq, f.total, nowUs);
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
  if (!reliable) {
    if (!m.complete()) {
      recoverDroppable(it, deliver);
      return true;
    }
    deliver.push_back(std::move(m.data));
    forgetDroppable(it);
    return true;
  }
  if (!m.complete())
    return true;
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
      forgetDroppable(it++);
      ++evicted_;
    } else {
      ++it;
    }
  }
}

}  // namespace rdk::udp
