#include "parity.hpp"

#include <algorithm>

#include "rs_codec.hpp"

namespace rdk::udp {

void ParityEncoder::setGroupSize(size_t fragments) {
  groupSize_ = std::min(fragments, kMaxParitySlots);
  if (groupSize_ == 0)
    open_.clear();
}

void ParityEncoder::setReedSolomon(ParityCountFn count) {
  if (static_cast<bool>(count) != static_cast<bool>(count_))
    open_.clear();
  count_ = std::move(count);
}

void ParityEncoder::onFirstSend(uint64_t seq, uint32_t total, uint32_t offset, const uint8_t* data,
                                uint16_t length, bool strong) {
  if (groupSize_ == 0 || length == 0)
    return;
  auto it = open_.find(seq);
  if (it == open_.end()) {
    if (open_.size() >= kMaxOpenGroups)
      close(open_.begin(),
            2);  // the oldest message stopped sending: its group is as full as it gets
    OpenGroup g;
    g.parity.seq = seq;
    g.parity.total = total;
    g.strong = strong;
    it = open_.emplace(seq, std::move(g)).first;
  }
  OpenGroup& g = it->second;
  auto& slots = g.parity.slots;
  // Slots must ascend; a fragment out of order (cut differently after an MTU change) starts over.
  if (!slots.empty() && offset < slots.back().offset + slots.back().length) {
    close(it, 2);
    onFirstSend(seq, total, offset, data, length, strong);
    return;
  }
  if (count_) {
    g.copies.emplace_back(data, data + length);
  } else {
    auto& x = g.parity.data;
    if (x.size() < length)
      x.resize(length, 0);
    for (uint16_t i = 0; i < length; ++i)
      x[i] ^= data[i];
  }
  slots.push_back({offset, length});
  if (slots.size() >= groupSize_)
    close(it, 2);
  else if (uint64_t(offset) + length >= total)
    close(it, 1);  // the tail of a message: even a lone last fragment gets its copy
}

void ParityEncoder::close(std::map<uint64_t, OpenGroup>::iterator it, size_t minSlots) {
  OpenGroup& g = it->second;
  const size_t k = g.parity.slots.size();
  if (k >= minSlots && !count_) {
    ready_.push_back(std::move(g.parity));
  } else if (k >= minSlots) {
    const size_t m = std::min(count_(k, g.strong), kMaxFecParities);
    size_t length = 0;
    for (const auto& c : g.copies)
      length = std::max(length, c.size());
    // Shards are the fragments zero-padded to the longest (the first is often shorter).
    for (auto& c : g.copies)
      c.resize(length, 0);
    std::vector<const uint8_t*> data;
    for (const auto& c : g.copies)
      data.push_back(c.data());
    auto shards = rsEncode(data, length, 0, m);
    for (size_t i = 0; i < m; ++i) {
      PendingParity p;
      p.seq = g.parity.seq;
      p.total = g.parity.total;
      p.slots = g.parity.slots;
      p.data = std::move(shards[i]);
      p.count = static_cast<uint8_t>(m);
      p.index = static_cast<uint8_t>(i);
      ready_.push_back(std::move(p));
    }
  }
  open_.erase(it);
}

std::vector<PendingParity> ParityEncoder::takeReady() {
  std::vector<PendingParity> out;
  out.swap(ready_);
  return out;
}

std::optional<ParitySlot> recoverableSlot(const StoredParity& parity, uint32_t total,
                                          const RangeSet& received) {
  const ParitySlot* missing = nullptr;
  for (const auto& s : parity.slots) {
    if (uint64_t(s.offset) + s.length > total || s.length > parity.data.size())
      return std::nullopt;  // does not describe this message
    if (received.contains(s.offset, uint64_t(s.offset) + s.length))
      continue;
    if (missing)
      return std::nullopt;  // two holes: XOR cannot tell them apart
    missing = &s;
  }
  if (!missing)
    return std::nullopt;
  return *missing;
}

std::vector<ParitySlot> missingSlots(const std::vector<ParitySlot>& slots, uint32_t total,
                                     const RangeSet& received) {
  std::vector<ParitySlot> missing;
  for (const auto& s : slots) {
    if (uint64_t(s.offset) + s.length > total)
      return {};  // does not describe this message
    if (!received.contains(s.offset, uint64_t(s.offset) + s.length))
      missing.push_back(s);
  }
  return missing;
}

bool rebuildReedSolomon(const std::vector<const StoredParity*>& group,
                        const std::vector<ParitySlot>& missing, std::vector<uint8_t>& message) {
  if (group.empty() || missing.empty() || missing.size() > group.size())
    return false;
  const auto& slots = group.front()->slots;
  const size_t k = slots.size();
  const size_t length = group.front()->data.size();
  // The k shards we use: every data slot we have (zero-padded copies) and as many parities as
  // there are holes.
  std::vector<std::vector<uint8_t>> padded;
  padded.reserve(k);
  std::vector<RsShard> have;
  std::vector<size_t> holes;
  size_t nextMissing = 0;
  for (size_t i = 0; i < k; ++i) {
    if (nextMissing < missing.size() && missing[nextMissing].offset == slots[i].offset) {
      holes.push_back(i);
      ++nextMissing;
      continue;
    }
    padded.emplace_back(length, 0);
    std::copy_n(message.begin() + slots[i].offset, std::min<size_t>(slots[i].length, length),
                padded.back().begin());
    have.push_back({i, padded.back().data()});
  }
  if (holes.size() != missing.size())
    return false;
  for (size_t j = 0; j < holes.size(); ++j) {
    if (group[j]->data.size() != length || group[j]->slots != slots)
      return false;
    have.push_back({k + group[j]->index, group[j]->data.data()});
  }
  auto rebuilt = rsDecode(k, have, holes, length);
  if (rebuilt.size() != holes.size())
    return false;
  for (size_t j = 0; j < holes.size(); ++j) {
    const auto& s = slots[holes[j]];
    std::copy_n(rebuilt[j].begin(), s.length, message.begin() + s.offset);
  }
  return true;
}

void rebuildSlot(const StoredParity& parity, const ParitySlot& missing,
                 std::vector<uint8_t>& message) {
  std::vector<uint8_t> rebuilt(parity.data.begin(), parity.data.begin() + missing.length);
  for (const auto& s : parity.slots) {
    if (s.offset == missing.offset)
      continue;
    const uint16_t n = std::min(s.length, missing.length);
    for (uint16_t i = 0; i < n; ++i)
      rebuilt[i] ^= message[s.offset + i];
  }
  std::copy(rebuilt.begin(), rebuilt.end(), message.begin() + missing.offset);
}

}  // namespace rdk::udp
