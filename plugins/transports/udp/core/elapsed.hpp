// Saturating time difference. Timestamps are taken on several threads (the receive thread, the
// timer, senders), so a stamp can be a little newer than the clock reading it is compared with;
// an unsigned difference would then wrap to ~584,000 years and look like a timeout.
#pragma once

#include <cstdint>

namespace rdk::udp {

inline uint64_t elapsedUs(uint64_t nowUs, uint64_t thenUs) {
  return nowUs > thenUs ? nowUs - thenUs : 0;
}

}  // namespace rdk::udp
