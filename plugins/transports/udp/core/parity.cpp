#include "parity.hpp"

#include <algorithm>

namespace rdk::udp {

void ParityEncoder::setGroupSize(size_t fragments) {
  groupSize_ = std::min(fragments, kMaxParitySlots);
  if (groupSize_ == 0)
    open_.clear();
}

void ParityEncoder::onFirstSend(uint64_t seq, uint32_t total, uint32_t offset, const uint8_t* data,
                                uint16_t length) {
  if (groupSize_ == 0 || length == 0)
    return;
  auto it = open_.find(seq);
  if (it == open_.end()) {
    if (open_.size() >= kMaxOpenGroups)
      close(open_.begin(),
            2);  // the oldest message stopped sending: its group is as full as it gets
    PendingParity p;
    p.seq = seq;
    p.total = total;
    it = open_.emplace(seq, std::move(p)).first;
  }
  PendingParity& g = it->second;
  // Slots must ascend; a fragment out of order (cut differently after an MTU change) starts over.
  if (!g.slots.empty() && offset < g.slots.back().offset + g.slots.back().length) {
    close(it, 2);
    onFirstSend(seq, total, offset, data, length);
    return;
  }
  if (g.data.size() < length)
    g.data.resize(length, 0);
  for (uint16_t i = 0; i < length; ++i)
    g.data[i] ^= data[i];
  g.slots.push_back({offset, length});
  if (g.slots.size() >= groupSize_)
    close(it, 2);
  else if (uint64_t(offset) + length >= total)
    close(it, 1);  // the tail of a message: even a lone last fragment gets its copy
}

void ParityEncoder::close(std::map<uint64_t, PendingParity>::iterator it, size_t minSlots) {
  if (it->second.slots.size() >= minSlots)
    ready_.push_back(std::move(it->second));
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
