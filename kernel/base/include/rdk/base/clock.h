// The two clocks the kernel reads. Logic classes never call these: they take the time as an
// argument, so tests drive them with simulated time; only loops and edges read the clock here.
#pragma once

#include <cstdint>

namespace rdk {

/// Monotonic microseconds (the same clock as the host API's now_us).
uint64_t monotonicUs();
/// |nowUs| - |thenUs|, or 0 when |thenUs| is later: a loop's "now" is read once per pass and can
/// be older than a time stamped during the pass (a session accepted after it), and an unsigned
/// difference would then wrap to an eternity (an instant "login timeout").
constexpr uint64_t elapsedUs(uint64_t nowUs, uint64_t thenUs) {
  return nowUs > thenUs ? nowUs - thenUs : 0;
}
/// Wall-clock milliseconds since the epoch.
uint64_t wallClockMs();

}  // namespace rdk
