#include "impairment.hpp"

#include <algorithm>

namespace rdk::udp {

Impairment::Impairment(const ImpairmentConfig& c, uint64_t seed) : config_(c), rng_(seed) {}

bool Impairment::lose() {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  if (config_.burstP > 0) {
    if (bad_) {
      if (u(rng_) < config_.burstR)
        bad_ = false;
    } else if (u(rng_) < config_.burstP) {
      bad_ = true;
    }
    if (bad_)
      return true;
  }
  return config_.lossPct > 0 && u(rng_) * 100.0 < config_.lossPct;
}

bool Impairment::inBlackout(uint64_t nowUs) {
  if (!config_.blackouts())
    return false;
  if (!firstUs_)
    firstUs_ = nowUs;
  const uint64_t phase = (nowUs - *firstUs_) % config_.blackoutEveryUs;
  return phase + config_.blackoutUs >= config_.blackoutEveryUs;
}

std::vector<uint64_t> Impairment::decide(uint64_t nowUs) {
  std::vector<uint64_t> out;
  if (inBlackout(nowUs)) {
    ++dropped_;
    ++blackedOut_;
    return out;
  }
  if (seen_ < config_.dropFirst) {
    ++seen_;
    ++dropped_;
    return out;
  }
  ++seen_;
  if (lose()) {
    ++dropped_;
    return out;
  }
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int copies = (config_.duplicatePct > 0 && u(rng_) * 100.0 < config_.duplicatePct) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    uint64_t release = nowUs + config_.delayUs;
    if (config_.jitterUs)
      release += static_cast<uint64_t>(u(rng_) * config_.jitterUs);
    const bool reorder = config_.reorderPct > 0 && u(rng_) * 100.0 < config_.reorderPct;
    if (reorder) {
      // Late enough that a few later datagrams overtake it.
      release += 1000 + static_cast<uint64_t>(u(rng_) * (config_.jitterUs + 5000));
    } else {
      release = std::max(release, lastReleaseUs_);
      lastReleaseUs_ = release;
    }
    out.push_back(release);
  }
  return out;
}

}  // namespace rdk::udp
