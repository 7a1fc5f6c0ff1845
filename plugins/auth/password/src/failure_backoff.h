// Slows password guessing: after the n-th consecutive failure for one username, the failing
// authenticate() call waits min(maxDelay, baseDelay * 2^(n-1)) before it returns. A success resets
// the count, and a username that stays quiet for |forgetAfter| starts again from zero.
//
// The wait happens on the thread that called authenticate(), on the failure path only; the kernel
// adds its own per-address policy on top (docs/security.md).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace rdk::auth {

struct BackoffPolicy {
  std::chrono::milliseconds baseDelay{500};
  std::chrono::milliseconds maxDelay{5000};
  std::chrono::seconds forgetAfter{600};
  size_t maxTrackedUsers = 4096;  // bounds memory under a flood of made-up usernames
};

class FailureBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  /// Records a failure for |username| and returns how long the caller should wait.
  std::chrono::milliseconds recordFailure(const std::string& username, const BackoffPolicy& policy);
  void recordSuccess(const std::string& username);
  unsigned failures(const std::string& username) const;

 private:
  struct Entry {
    unsigned failures = 0;
    Clock::time_point last;
  };
  void evictOldest();

  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace rdk::auth
