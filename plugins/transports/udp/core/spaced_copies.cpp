#include "spaced_copies.hpp"

#include <algorithm>

namespace rdk::udp {

uint64_t SpacedCopies::spacingUs(uint64_t srttUs) {
  return std::clamp<uint64_t>(srttUs / 4, 2000, 25000);
}

bool SpacedCopies::wants(const Chunk& c) {
  return c.msg && c.msg->cls == MessageClass::kReliable && c.length > 0 &&
         c.msg->data.size() <= kMaxMessageBytes;
}

void SpacedCopies::earn(size_t bytes, uint64_t nowUs) {
  uint64_t byTime = 0;
  if (earnedUs_ != 0 && nowUs > earnedUs_) {
    // Capped before multiplying: a long quiet spell must not overflow.
    byTime =
        std::min<uint64_t>(nowUs - earnedUs_, 10000000) * kBudgetBytesPerS * kBudgetShare / 1000000;
  }
  earnedUs_ = nowUs;
  credit_ = std::min<uint64_t>(credit_ + bytes + byTime, kMaxCredit * kBudgetShare);
}

bool SpacedCopies::spend(size_t bytes) {
  if (credit_ < bytes * kBudgetShare)
    return false;
  credit_ -= bytes * kBudgetShare;
  return true;
}

void SpacedCopies::schedule(const Chunk& c, uint64_t dueUs, bool another) {
  for (const auto& [due, pending] : pending_) {
    if (!another && pending.msg == c.msg && pending.offset == c.offset)
      return;
  }
  if (pending_.size() >= kMaxPending)
    pending_.erase(pending_.begin());
  Chunk copy = c;
  copy.resend = true;
  pending_.emplace(dueUs, std::move(copy));
}

std::optional<Chunk> SpacedCopies::takeDue(uint64_t nowUs, size_t room) {
  for (auto it = pending_.begin(); it != pending_.end() && it->first <= nowUs;) {
    if (it->second.msg->finished) {
      it = pending_.erase(it);
      continue;
    }
    if (it->second.length <= room) {
      Chunk c = std::move(it->second);
      pending_.erase(it);
      return c;
    }
    ++it;
  }
  return std::nullopt;
}

bool SpacedCopies::anyDue(uint64_t nowUs) const {
  for (auto it = pending_.begin(); it != pending_.end() && it->first <= nowUs; ++it) {
    if (!it->second.msg->finished)
      return true;
  }
  return false;
}

uint64_t SpacedCopies::nextDueUs() const {
  // Finished messages' copies are skipped: waking for them would spin (nothing would be sent).
  for (const auto& [due, c] : pending_) {
    if (!c.msg->finished)
      return due;
  }
  return UINT64_MAX;
}

}  // namespace rdk::udp
