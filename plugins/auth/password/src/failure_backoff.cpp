#include "failure_backoff.h"

#include <algorithm>

namespace rdk::auth {

std::chrono::milliseconds FailureBackoff::recordFailure(const std::string& username,
                                                        const BackoffPolicy& policy) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(username);
  if (it == entries_.end()) {
    if (entries_.size() >= policy.maxTrackedUsers)
      evictOldest();
    it = entries_.emplace(username, Entry{}).first;
  } else if (now - it->second.last > policy.forgetAfter) {
    it->second.failures = 0;
  }
  Entry& entry = it->second;
  entry.failures = std::min(entry.failures + 1, 64u);
  entry.last = now;
  if (policy.baseDelay.count() <= 0 || policy.maxDelay.count() <= 0)
    return {};
  // Doubling stops once it passes the cap, so the shift never overflows.
  std::chrono::milliseconds delay = policy.baseDelay;
  for (unsigned i = 1; i < entry.failures && delay < policy.maxDelay; ++i)
    delay *= 2;
  return std::min(delay, policy.maxDelay);
}

void FailureBackoff::recordSuccess(const std::string& username) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(username);
}

unsigned FailureBackoff::failures(const std::string& username) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(username);
  return it == entries_.end() ? 0 : it->second.failures;
}

void FailureBackoff::evictOldest() {
  auto oldest =
      std::min_element(entries_.begin(), entries_.end(),
                       [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
  if (oldest != entries_.end())
    entries_.erase(oldest);
}

}  // namespace rdk::auth
