// Slows password guessing per source address, across connections. Every authentication verdict
// of an address waits for the previous one, and after the n-th failure the next verdict waits
// min(maxDelay, baseDelay * 2^(n-1)) more. Because the wait is on the verdict (not on closing the
// connection), closing early learns nothing, parallel connections queue behind each other, and a
// response abandoned before its verdict counts as a failure. Nothing here sleeps: the session
// asks, and comes back later. Thread-safe (authentication workers report outcomes); no clocks
// inside, every call takes the time.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rdk::session {

struct AuthThrottleSettings {
  uint64_t baseDelayUs = 1'000'000;
  uint64_t maxDelayUs = 16'000'000;
  /// An address quiet this long starts again from zero failures.
  uint64_t forgetAfterUs = 600'000'000;
  /// Addresses tracked at most; beyond, the longest quiet ones are forgotten first.
  size_t maxAddresses = 65536;
};

class AuthThrottle {
 public:
  explicit AuthThrottle(AuthThrottleSettings settings) : settings_(settings) {}

  /// Claims the right to decide one authentication of |address| now: false while another verdict
  /// of that address is in flight or its back-off has not passed (ask again later).
  bool tryBeginVerdict(const std::string& address, uint64_t nowUs);
  /// The verdict claimed by tryBeginVerdict is known.
  void finishVerdict(const std::string& address, bool success, uint64_t nowUs);
  /// A response that will never get its verdict (the peer left first): counted as a failure.
  void abandoned(const std::string& address, uint64_t nowUs);

  /// Earliest time a verdict of |address| may begin (|nowUs| when it may begin now).
  uint64_t nextVerdictUs(const std::string& address, uint64_t nowUs) const;
  uint32_t failures(const std::string& address) const;
  size_t trackedAddresses() const;
  /// The wait after the n-th consecutive failure.
  uint64_t delayAfter(uint32_t failures) const;
  /// New delays (a configuration reload); each address keeps its failure count.
  void setSettings(AuthThrottleSettings settings);

 private:
  struct Entry {
    uint32_t failures = 0;
    uint64_t notBeforeUs = 0;
    uint64_t lastUs = 0;
    bool inFlight = false;
  };
  Entry& entryLocked(const std::string& address, uint64_t nowUs);
  void failLocked(Entry& entry, uint64_t nowUs);
  void pruneLocked(uint64_t nowUs);
  uint64_t delayAfterLocked(uint32_t failures) const;

  mutable std::mutex mutex_;
  AuthThrottleSettings settings_;  // under mutex_
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rdk::session
