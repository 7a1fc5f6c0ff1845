// A set of disjoint half-open integer intervals [begin, end): received bytes of a message, bytes
// still to send, packet numbers seen.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>

namespace rdk::udp {

class RangeSet {
 public:
  void add(uint64_t begin, uint64_t end) {
    if (begin >= end)
      return;
    auto it = ranges_.upper_bound(begin);
    if (it != ranges_.begin()) {
      auto prev = std::prev(it);
      if (prev->second >= begin) {
        begin = prev->first;
        end = std::max(end, prev->second);
        it = ranges_.erase(prev);
      }
    }
    while (it != ranges_.end() && it->first <= end) {
      end = std::max(end, it->second);
      it = ranges_.erase(it);
    }
    ranges_[begin] = end;
  }
  void remove(uint64_t begin, uint64_t end) {
    if (begin >= end)
      return;
    auto it = ranges_.upper_bound(begin);
    if (it != ranges_.begin())
      --it;
    while (it != ranges_.end() && it->first < end) {
      const uint64_t b = it->first, e = it->second;
      if (e <= begin) {
        ++it;
        continue;
      }
      it = ranges_.erase(it);
      if (b < begin)
        ranges_[b] = begin;
      if (e > end) {
        ranges_[end] = e;
        break;
      }
    }
  }
  bool contains(uint64_t begin, uint64_t end) const {
    auto it = ranges_.upper_bound(begin);
    if (it == ranges_.begin())
      return false;
    --it;
    return it->first <= begin && it->second >= end;
  }
  /// How much of [begin, end) is covered.
  uint64_t overlap(uint64_t begin, uint64_t end) const {
    uint64_t n = 0;
    auto it = ranges_.upper_bound(begin);
    if (it != ranges_.begin())
      --it;
    for (; it != ranges_.end() && it->first < end; ++it) {
      const uint64_t b = std::max(begin, it->first), e = std::min(end, it->second);
      if (b < e)
        n += e - b;
    }
    return n;
  }
  /// How many intervals add(begin, end) would merge with (overlapping or adjacent ones): the
  /// number of intervals changes by 1 - touching(begin, end).
  size_t touching(uint64_t begin, uint64_t end) const {
    size_t n = 0;
    auto it = ranges_.upper_bound(begin);
    if (it != ranges_.begin())
      --it;
    for (; it != ranges_.end() && it->first <= end; ++it) {
      if (it->second >= begin)
        ++n;
    }
    return n;
  }
  /// Bytes covered.
  uint64_t covered() const {
    uint64_t n = 0;
    for (auto& [b, e] : ranges_)
      n += e - b;
    return n;
  }
  bool empty() const { return ranges_.empty(); }
  size_t intervals() const { return ranges_.size(); }
  void clear() { ranges_.clear(); }
  void eraseBelow(uint64_t value) { remove(0, value); }
  const std::map<uint64_t, uint64_t>& map() const { return ranges_; }

 private:
  std::map<uint64_t, uint64_t> ranges_;  // begin -> end
};

}  // namespace rdk::udp
