#include "rdk/session/auth_throttle.h"

#include <algorithm>
#include <vector>

namespace rdk::session {

uint64_t AuthThrottle::delayAfter(uint32_t failures) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return delayAfterLocked(failures);
}

void AuthThrottle::setSettings(AuthThrottleSettings settings) {
  std::lock_guard<std::mutex> lock(mutex_);
  settings_ = settings;
}

uint64_t AuthThrottle::delayAfterLocked(uint32_t failures) const {
  if (failures == 0)
    return 0;
  const uint32_t doublings = std::min<uint32_t>(failures - 1, 40);
  const uint64_t limit = settings_.maxDelayUs;
  uint64_t delay = settings_.baseDelayUs;
  for (uint32_t i = 0; i < doublings && delay < limit; ++i)
    delay *= 2;
  return std::min(delay, limit);
}

void AuthThrottle::pruneLocked(uint64_t nowUs) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const bool quiet = !it->second.inFlight && nowUs >= it->second.lastUs + settings_.forgetAfterUs;
    it = quiet ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() < settings_.maxAddresses)
    return;
  // Still full of recent addresses: forget the quietest half (never one with a verdict in flight).
  std::vector<std::pair<uint64_t, std::string>> byAge;
  for (const auto& [address, entry] : entries_) {
    if (!entry.inFlight)
      byAge.emplace_back(entry.lastUs, address);
  }
  std::sort(byAge.begin(), byAge.end());
  for (size_t i = 0; i < byAge.size() / 2 + 1 && i < byAge.size(); ++i)
    entries_.erase(byAge[i].second);
}

AuthThrottle::Entry& AuthThrottle::entryLocked(const std::string& address, uint64_t nowUs) {
  auto found = entries_.find(address);
  if (found != entries_.end()) {
    if (!found->second.inFlight && nowUs >= found->second.lastUs + settings_.forgetAfterUs)
      found->second = Entry{};
    return found->second;
  }
  if (entries_.size() >= settings_.maxAddresses)
    pruneLocked(nowUs);
  return entries_[address];
}

bool AuthThrottle::tryBeginVerdict(const std::string& address, uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& entry = entryLocked(address, nowUs);
  if (entry.inFlight || nowUs < entry.notBeforeUs)
    return false;
  entry.inFlight = true;
  entry.lastUs = nowUs;
  return true;
}

void AuthThrottle::failLocked(Entry& entry, uint64_t nowUs) {
  ++entry.failures;
  entry.notBeforeUs = std::max(entry.notBeforeUs, nowUs) + delayAfterLocked(entry.failures);
  entry.lastUs = nowUs;
}

void AuthThrottle::finishVerdict(const std::string& address, bool success, uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& entry = entryLocked(address, nowUs);
  entry.inFlight = false;
  if (success) {
    entries_.erase(address);
    return;
  }
  failLocked(entry, nowUs);
}

void AuthThrottle::abandoned(const std::string& address, uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  failLocked(entryLocked(address, nowUs), nowUs);
}

uint64_t AuthThrottle::nextVerdictUs(const std::string& address, uint64_t nowUs) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(address);
  if (found == entries_.end())
    return nowUs;
  return std::max(nowUs, found->second.notBeforeUs);
}

uint32_t AuthThrottle::failures(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(address);
  return found == entries_.end() ? 0 : found->second.failures;
}

size_t AuthThrottle::trackedAddresses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace rdk::session
