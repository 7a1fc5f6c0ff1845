#include "ack_tracker.hpp"
#include "elapsed.hpp"

#include <algorithm>
#include <iterator>

namespace rdk::udp {

bool AckTracker::onReceived(uint64_t pn, bool ackEliciting, uint64_t nowUs, uint64_t srttUs,
                            uint64_t maxAckDelayUs, uint32_t ackEvery) {
  if (received_.contains(pn, pn + 1))
    return false;
  const bool gap = any_ && pn > largest_ + 1;
  const bool reordered = any_ && pn < largest_;
  received_.add(pn, pn + 1);
  while (received_.intervals() > kMaxRanges) {  // forget the oldest history
    received_.remove(0, received_.map().begin()->second);
  }
  if (!any_ || pn > largest_) {
    largest_ = pn;
    largestAtUs_ = nowUs;
  }
  any_ = true;
  changed_ = true;
  if (!ackEliciting)
    return true;
  ++unacked_;
  uint64_t due = nowUs + maxAckDelayUs;
  if (unacked_ >= ackEvery)
    due = nowUs;
  if (gap || reordered) {
    // Report the hole soon, but not more often than a few times per RTT.
    due = std::min(due, std::max(nowUs, lastAckUs_ + std::max<uint64_t>(srttUs / 4, 2000)));
  }
  dueUs_ = std::min(dueUs_, due);
  return true;
}

std::optional<AckFrame> AckTracker::build(uint64_t nowUs) {
  if (!any_)
    return std::nullopt;
  AckFrame a;
  a.ackDelayUs = elapsedUs(nowUs, largestAtUs_);
  const auto& m = received_.map();
  for (auto it = m.rbegin(); it != m.rend() && a.ranges.size() < kMaxRanges; ++it) {
    a.ranges.push_back({it->first, it->second - 1});
  }
  unacked_ = 0;
  changed_ = false;
  dueUs_ = UINT64_MAX;
  lastAckUs_ = nowUs;
  return a;
}

}  // namespace rdk::udp
