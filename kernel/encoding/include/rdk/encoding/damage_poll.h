// When the server loop asks its platform for damage, and how long it sleeps between turns.
// The platform ABI has no file descriptor to wait on, so damage is polled: every periodUs
// normally (half a frame, at most 10 ms), and on every turn of the loop for a short while after
// input was injected, with a shorter sleep. Why: a keystroke's echo was picked up 4-10 ms after
// the application drew it (the next periodic poll; measured with bench_keyecho, 8.4 ms typical),
// while the reply to input is exactly the change a user waits for. Single-threaded; the caller
// passes the clock (µs).
#pragma once

#include <algorithm>
#include <cstdint>

namespace rdk::encoding {

class DamagePollSchedule {
 public:
  struct Settings {
    uint64_t periodUs = 10'000;     // between polls when nothing is expected
    uint64_t idleWaitUs = 2'000;    // the loop's sleep when nothing wakes it
    uint64_t followUs = 100'000;    // after input: poll on every turn for this long
    uint64_t followWaitUs = 1'000;  // ... and sleep at most this long between turns
  };

  explicit DamagePollSchedule(Settings settings) : settings_(settings) {}

  /// Input went to the platform: its effect is looked for from the next turn on.
  void onInput(uint64_t nowUs) {
    followUntilUs_ = nowUs + settings_.followUs;
    nextPollUs_ = std::min(nextPollUs_, nowUs);
  }
  bool due(uint64_t nowUs) const { return nowUs >= nextPollUs_ || following(nowUs); }
  void onPolled(uint64_t nowUs) { nextPollUs_ = nowUs + settings_.periodUs; }
  /// How long the loop may sleep now (it also wakes early for packets).
  uint64_t waitUs(uint64_t nowUs) const {
    if (following(nowUs))
      return settings_.followWaitUs;
    const uint64_t untilPoll = nextPollUs_ > nowUs ? nextPollUs_ - nowUs : 0;
    return std::min(settings_.idleWaitUs, std::max<uint64_t>(untilPoll, 1));
  }
  bool following(uint64_t nowUs) const { return nowUs < followUntilUs_; }

 private:
  Settings settings_;
  uint64_t nextPollUs_ = 0;
  uint64_t followUntilUs_ = 0;
};

}  // namespace rdk::encoding
