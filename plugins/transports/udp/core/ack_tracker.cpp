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
  historyUs_ = std::max(2 * srttUs + maxAckDelayUs, kMinHistoryUs);
  piggybackGapUs_ = std::max<uint64_t>(srttUs / 4, 5000);
  recent_.emplace_back(pn, nowUs);
  while (!recentMin_.empty() && recentMin_.back() > pn)
    recentMin_.pop_back();
  recentMin_.push_back(pn);
  if (recent_.size() > kMaxRecent)
    popOldestReceipt();
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
    // Report the hole soon: after kGapWaitUs, so the rest of a paced burst is in the ack (the
    // sender declares a loss once kPacketThreshold later datagrams are acknowledged), and not
    // more often than a few times per RTT, but never more than kMaxGapAckSpacingUs apart (a
    // receiver that sends no data has no RTT sample of its own: 100 ms).
    const uint64_t spacing = std::clamp<uint64_t>(srttUs / 4, 2000, kMaxGapAckSpacingUs);
    due = std::min(due, std::max(nowUs + kGapWaitUs, lastAckUs_ + spacing));
  }
  dueUs_ = std::min(dueUs_, due);
  return true;
}

size_t AckTracker::maxFrameSize() const {
  return ackFrameSize(std::clamp<size_t>(received_.intervals(), 1, kMaxRanges));
}

void AckTracker::popOldestReceipt() {
  if (recentMin_.front() == recent_.front().first)
    recentMin_.pop_front();
  recent_.pop_front();
}

void AckTracker::forgetOldReceipts(uint64_t nowUs) {
  while (recent_.size() > 1 && elapsedUs(nowUs, recent_.front().second) > historyUs_)
    popOldestReceipt();
}

std::optional<AckFrame> AckTracker::build(uint64_t nowUs) {
  if (!any_)
    return std::nullopt;
  forgetOldReceipts(nowUs);
  const uint64_t oldestRecent = recentMin_.front();
  AckFrame a;
  a.ackDelayUs = elapsedUs(nowUs, largestAtUs_);
  const auto& m = received_.map();
  for (auto it = m.rbegin(); it != m.rend() && a.ranges.size() < kMaxRanges; ++it) {
    if (!a.ranges.empty() && it->second - 1 < oldestRecent)
      break;  // nothing in it arrived recently
    a.ranges.push_back({it->first, it->second - 1});
  }
  unacked_ = 0;
  changed_ = false;
  dueUs_ = UINT64_MAX;
  lastAckUs_ = nowUs;
  return a;
}

}  // namespace rdk::udp
