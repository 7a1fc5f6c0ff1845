#include "reassembler.hpp"
#include "elapsed.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace rdk::udp {

namespace {
size_t parityCost(size_t dataBytes, size_t slots) {
  return Reassembler::kParityCost + dataBytes + slots * sizeof(ParitySlot);
}
}  // namespace

Reassembler::Reassembler(size_t capacity, size_t untrustedCapacity,
                         std::shared_ptr<ReceiveBudget> budget)
    : capacity_(std::max(capacity, kMinTrustedCapacity)),
      untrustedCapacity_(untrustedCapacity ? std::min(untrustedCapacity, capacity_) : capacity_),
      budget_(budget ? std::move(budget)
                     : std::make_shared<ReceiveBudget>(std::numeric_limits<size_t>::max(),
                                                       std::numeric_limits<size_t>::max())),
      trusted_(untrustedCapacity == 0) {}

Reassembler::~Reassembler() {
  budget_->give(charged_, !trusted_);
}

bool Reassembler::droppableDone(uint64_t seq) const {
  if (seq + kDroppableWindow < droppableHigh_)
    return true;  // stale
  if (seq >= droppableHigh_ || droppableDone_.empty())
    return false;
  const uint64_t bit = seq % kDroppableWindow;
  return (droppableDone_[bit / 64] >> (bit % 64)) & 1;
}

void Reassembler::markDroppableDone(uint64_t seq) {
  if (seq + kDroppableWindow < droppableHigh_)
    return;  // stale: counts as done already
  if (droppableDone_.empty())
    droppableDone_.assign(kDroppableWindow / 64, 0);  // 8 KiB, whatever the peer sends
  if (seq >= droppableHigh_) {
    // Ids [high, seq] enter the window: their slots still hold ids a window older.
    if (seq - droppableHigh_ >= kDroppableWindow) {
      std::fill(droppableDone_.begin(), droppableDone_.end(), 0);
    } else {
      for (uint64_t id = droppableHigh_; id <= seq;) {
        const uint64_t bit = id % kDroppableWindow;
        if (bit % 64 == 0 && seq - id >= 63) {
          droppableDone_[bit / 64] = 0;
          id += 64;
        } else {
          droppableDone_[bit / 64] &= ~(uint64_t(1) << (bit % 64));
          ++id;
        }
      }
    }
    droppableHigh_ = seq + 1;
  }
  const uint64_t bit = seq % kDroppableWindow;
  droppableDone_[bit / 64] |= uint64_t(1) << (bit % 64);
}

size_t Reassembler::grownCapacity(size_t capacity, uint64_t end, uint32_t total) {
  if (end <= capacity)
    return capacity;
  const size_t wanted = std::max({static_cast<size_t>(end), 2 * capacity, kMinBuffer});
  return std::min<size_t>(wanted, total);
}

void Reassembler::grow(InMessage& m, uint64_t end) {
  if (end <= m.data.size())
    return;
  const size_t capacity = grownCapacity(m.data.capacity(), end, m.total);
  if (capacity > m.data.capacity())
    m.data.reserve(capacity);
  m.data.resize(end);
}

void Reassembler::recount(InMessage& m) {
  const size_t cost = kEntryCost + m.data.capacity() + m.received.intervals() * kRangeCost;
  held_ = held_ - m.cost + cost;
  m.cost = cost;
  if (held_ > charged_) {
    // Not reserved (add() without canAccept(), as unit tests do): counted all the same.
    budget_->force(held_ - charged_, !trusted_);
    charged_ = held_;
  }
}

size_t Reassembler::headCost() const {
  auto it = reliable_.find(nextReliable_);
  return it == reliable_.end() ? 0 : it->second.cost;
}

bool Reassembler::take(size_t bytes) {
  if (charged_ - headCost() + bytes + maxMessageCost() > limit() ||
      !budget_->tryTake(bytes, !trusted_))
    return false;
  charged_ += bytes;
  return true;
}

void Reassembler::release(size_t bytes) {
  held_ -= bytes;
  charged_ -= bytes;
  budget_->give(bytes, !trusted_);
}

void Reassembler::settle() {
  if (charged_ > held_) {
    budget_->give(charged_ - held_, !trusted_);
  } else if (held_ > charged_) {
    budget_->force(held_ - charged_, !trusted_);
  }
  charged_ = held_;
}

void Reassembler::trust() {
  if (trusted_)
    return;
  budget_->promote(charged_);
  trusted_ = true;
}

void Reassembler::markReceived(InMessage& m, uint64_t begin, uint64_t end) {
  m.receivedBytes += (end - begin) - m.received.overlap(begin, end);
  m.received.add(begin, end);
}

struct Reassembler::Plan {
  Verdict verdict = Verdict::kAccept;
  size_t chainNeed = 0;       // growth of the reliable messages from the head to the final head
  size_t otherNeed = 0;       // growth of everything else
  size_t finalOthers = 0;     // bytes held afterwards besides the (final) head
  uint32_t refusedClaim = 0;  // a first fragment claiming more than a message may cost
  bool claimRefused = false;
};

Reassembler::Plan Reassembler::plan(const std::vector<FragmentFrame>& frags) const {
  // The datagram's fragments, message by message, in the order add() will store them.
  struct Projected {
    const InMessage* existing = nullptr;
    uint32_t total = 0;
    size_t capacity = 0;
    uint64_t size = 0;
    RangeSet local;  // bytes this datagram adds
    int64_t delta = 0;
    size_t need = 0;
    bool complete = false;
  };
  Plan plan;
  std::map<std::pair<bool, uint64_t>, Projected> touched;
  const size_t maxCost = maxMessageCost();
  for (auto& f : frags) {
    const bool reliable = f.cls == MessageClass::kReliable;
    if (reliable) {
      if (f.seq < nextReliable_)
        continue;  // duplicate, harmless
      if (f.seq >= nextReliable_ + kReliableWindow) {
        plan.verdict = Verdict::kRefuse;
        return plan;
      }
    } else if (droppableDone(f.seq)) {
      continue;
    }
    auto [p, inserted] = touched.try_emplace({reliable, f.seq});
    Projected& m = p->second;
    if (inserted) {
      const auto& table = reliable ? reliable_ : droppable_;
      if (auto it = table.find(f.seq); it != table.end()) {
        m.existing = &it->second;
        m.total = it->second.total;
        m.capacity = it->second.data.capacity();
        m.size = it->second.data.size();
      } else {
        // The first fragment of a message: a claim this connection could never hold is refused
        // here, before a byte of it is stored.
        if (size_t(f.total) + kEntryCost + kRangeCost > maxCost) {
          plan.verdict = reliable && !trusted_ && f.seq == 0 && nextReliable_ == 0
                             ? Verdict::kFatal
                             : Verdict::kRefuse;
          plan.claimRefused = true;
          plan.refusedClaim = f.total;
          return plan;
        }
        m.total = f.total;
      }
    }
    if (m.total != f.total)
      break;  // contradicts the message: add() stops there
    const uint64_t end = uint64_t(f.offset) + f.length;
    if (f.length == 0 || (m.existing && m.existing->received.contains(f.offset, end)))
      continue;
    m.local.add(f.offset, end);
    if (end > m.size) {
      m.capacity = grownCapacity(m.capacity, end, m.total);
      m.size = end;
    }
  }
  // Each message's cost afterwards, and whether it completes.
  int64_t delta = 0;
  for (auto& [key, m] : touched) {
    size_t intervals = m.existing ? m.existing->received.intervals() : 0;
    uint64_t received = m.existing ? m.existing->receivedBytes : 0;
    for (const auto& [b, e] : m.local.map()) {
      if (m.existing) {
        received += (e - b) - m.existing->received.overlap(b, e);
        intervals = intervals + 1 - m.existing->received.touching(b, e);
      } else {
        received += e - b;
        intervals += 1;
      }
    }
    const size_t cost = kEntryCost + m.capacity + intervals * kRangeCost;
    const size_t before = m.existing ? m.existing->cost : 0;
    m.delta = int64_t(cost) - int64_t(before);
    m.need = cost > before ? cost - before : 0;
    m.complete = m.total == 0 || received == m.total;
    if (!m.complete && cost > maxCost) {
      plan.verdict = Verdict::kRefuse;  // only a peer cutting a message into slivers gets here
      return plan;
    }
    delta += m.delta;
    if (!key.first && m.complete)
      delta -= int64_t(cost);  // a droppable delivered at once
  }
  // The reliable messages delivered in order, and the head that is left.
  size_t head = 0;
  for (uint64_t seq = nextReliable_;; ++seq) {
    size_t cost = 0;
    bool complete = false;
    if (auto t = touched.find({true, seq}); t != touched.end()) {
      cost = size_t(int64_t(t->second.existing ? t->second.existing->cost : 0) + t->second.delta);
      complete = t->second.complete;
      plan.chainNeed += t->second.need;
    } else if (auto it = reliable_.find(seq); it != reliable_.end()) {
      cost = it->second.cost;
      complete = it->second.complete();
    }
    if (!complete) {
      head = cost;
      break;
    }
    delta -= int64_t(cost);  // delivered
  }
  size_t gross = 0;
  for (auto& [key, m] : touched)
    gross += m.need;
  plan.otherNeed = gross - plan.chainNeed;
  const size_t after = size_t(int64_t(held_) + delta);
  plan.finalOthers = after - head;
  return plan;
}

Reassembler::Verdict Reassembler::canAccept(const std::vector<FragmentFrame>& frags) {
  const size_t maxCost = maxMessageCost();
  Plan p = plan(frags);
  // Room for a whole head stays free afterwards. Make room by giving up partial droppables,
  // oldest first; reliable data is never discarded.
  while (p.verdict == Verdict::kAccept && p.finalOthers + maxCost > limit() &&
         !droppable_.empty()) {
    const size_t target = held_ - std::min(held_, p.finalOthers + maxCost - limit());
    while (held_ > target && !droppable_.empty())
      evictOldestDroppable();
    p = plan(frags);
  }
  if (p.verdict == Verdict::kAccept && p.finalOthers + maxCost > limit())
    p.verdict = Verdict::kRefuse;
  if (p.verdict != Verdict::kAccept) {
    refusedDatagrams_++;
    if (p.claimRefused)
      refusedClaims_++;
    if (p.verdict == Verdict::kFatal) {
      fatalReason_ = "first message of " + std::to_string(p.refusedClaim) + " bytes exceeds the " +
                     std::to_string(untrustedCapacity_) +
                     "-byte receive budget of a new connection";
    }
    return p.verdict;
  }
  // The endpoint's other connections hold the rest of the shared budget. A trusted connection's
  // reliable messages up to its head are never refused there (they are bounded by M per
  // connection), so no connection waits forever for the others.
  const size_t need = p.chainNeed + p.otherNeed;
  if (trusted_) {
    budget_->force(p.chainNeed, false);
    while (p.otherNeed > 0 && !budget_->tryTake(p.otherNeed, false)) {
      if (droppable_.empty()) {
        budget_->give(p.chainNeed, false);
        refusedDatagrams_++;
        return Verdict::kRefuse;
      }
      evictOldestDroppable();
    }
  } else if (!budget_->tryTake(need, true)) {
    refusedDatagrams_++;
    return Verdict::kRefuse;
  }
  charged_ += need;
  return Verdict::kAccept;
}

std::map<uint64_t, InMessage>::iterator Reassembler::open(std::map<uint64_t, InMessage>& table,
                                                          uint64_t seq, uint32_t total,
                                                          uint64_t nowUs) {
  InMessage m;
  m.total = total;
  m.firstUs = nowUs;
  auto it = table.emplace(seq, std::move(m)).first;
  recount(it->second);  // the entry itself; its buffer grows with the bytes that arrive
  return it;
}

void Reassembler::evictOldestDroppable() {
  forgetDroppable(droppable_.begin());
  ++evicted_;
}

void Reassembler::forgetDroppable(std::map<uint64_t, InMessage>::iterator it) {
  release(it->second.cost);
  markDroppableDone(it->first);
  if (auto p = parities_.find(it->first); p != parities_.end()) {
    for (const auto& parity : p->second) {
      const size_t cost = parityCost(parity.data.size(), parity.slots.size());
      parityBytes_ -= cost;
      release(cost);
    }
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
    std::map<uint32_t, std::vector<const StoredParity*>> groups;  // Reed-Solomon, by first slot
    for (const auto& parity : p->second) {
      if (parity.count) {
        groups[parity.slots.front().offset].push_back(&parity);
        continue;
      }
      const auto slot = recoverableSlot(parity, m.total, m.received);
      if (!slot)
        continue;
      const uint64_t end = uint64_t(slot->offset) + slot->length;
      const size_t capacity = grownCapacity(m.data.capacity(), end, m.total);
      if (!take(capacity - m.data.capacity() + kRangeCost))
        continue;  // no room: the resend will fill the hole
      grow(m, end);
      rebuildSlot(parity, *slot, m.data);
      markReceived(m, slot->offset, end);
      recount(m);
      ++recovered_;
      m.rebuilt = true;
      progress = true;
    }
    for (auto& [first, group] : groups) {
      // Shards of one group share its slots and length; a shard that disagrees is ignored.
      const StoredParity& lead = *group.front();
      std::erase_if(group, [&](const StoredParity* q) {
        return q->slots != lead.slots || q->data.size() != lead.data.size();
      });
      const auto missing = missingSlots(lead.slots, m.total, m.received);
      if (missing.empty() || missing.size() > group.size())
        continue;  // complete, or more holes than parities: wait for the resends
      uint64_t end = 0;
      for (const auto& s : missing)
        end = std::max<uint64_t>(end, uint64_t(s.offset) + s.length);
      const size_t capacity = grownCapacity(m.data.capacity(), end, m.total);
      if (!take(capacity - m.data.capacity() + kRangeCost * missing.size()))
        continue;
      grow(m, end);
      if (!rebuildReedSolomon(group, missing, m.data)) {
        recount(m);  // the grown buffer stays counted
        continue;
      }
      for (const auto& s : missing)
        markReceived(m, s.offset, uint64_t(s.offset) + s.length);
      recount(m);
      recovered_ += missing.size();
      m.rebuilt = true;
      progress = true;
    }
  }
  if (!m.complete())
    return;
  if (m.rebuilt)
    completedWithParity_.push_back(it->first);
  deliver.push_back(std::move(m.data));
  forgetDroppable(it);
}

void Reassembler::addParity(const ParityFrame& f, uint64_t nowUs,
                            std::vector<std::vector<uint8_t>>& deliver) {
  const size_t cost = parityCost(f.length, f.slots.size());
  if (droppableDone(f.seq) || parityBytes_ + cost > limit() / 4)
    return;  // finished already, or parity would crowd out data: it is only a shortcut
  if (auto known = parities_.find(f.seq); known != parities_.end() && f.parityCount) {
    for (const auto& q : known->second)
      if (q.count && q.index == f.index && q.slots.front().offset == f.slots.front().offset)
        return;  // a duplicate shard adds nothing
  }
  auto it = droppable_.find(f.seq);
  if (it == droppable_.end()) {
    if (size_t(f.total) + kEntryCost + kRangeCost > maxMessageCost() || !take(kEntryCost + cost))
      return;
    it = open(droppable_, f.seq, f.total, nowUs);
  } else if (it->second.total != f.total) {
    return;  // contradicts the fragments: ignore the parity, keep the data
  } else if (!take(cost)) {
    return;
  }
  StoredParity stored{f.slots, std::vector<uint8_t>(f.data, f.data + f.length), f.parityCount,
                      f.index};
  held_ += cost;
  parityBytes_ += cost;
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
  const uint64_t end = uint64_t(f.offset) + f.length;
  if (m.received.contains(f.offset, end) && f.length > 0) {
    ++duplicates_;
  } else if (f.length > 0) {
    grow(m, end);
    std::memcpy(m.data.data() + f.offset, f.data, f.length);
    markReceived(m, f.offset, end);
    recount(m);
  }
  if (!reliable) {
    if (!m.complete()) {
      recoverDroppable(it, deliver);
      return true;
    }
    if (m.rebuilt)
      completedWithParity_.push_back(it->first);
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
    release(next->second.cost);
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
