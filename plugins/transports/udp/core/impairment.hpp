// Network impairment for tests and demos, applied at the datagram boundary in both directions:
// random and Gilbert-Elliott loss, delay, jitter, reordering, duplication and "drop the first N"
// (the seed's test for early resend logic). Decisions only: the caller holds delayed datagrams.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace rdk::udp {

struct ImpairmentConfig {
  double lossPct = 0;             // independent random loss
  double burstP = 0, burstR = 0;  // Gilbert-Elliott: P(good->bad), P(bad->good); bad state drops
  uint64_t delayUs = 0;
  uint64_t jitterUs = 0;  // uniform extra delay, order kept unless reordered
  double reorderPct = 0;  // these datagrams skip the order clamp with extra delay
  double duplicatePct = 0;
  uint32_t dropFirst = 0;  // drop the first N datagrams
  bool active() const {
    return lossPct > 0 || burstP > 0 || delayUs || jitterUs || reorderPct > 0 || duplicatePct > 0 ||
           dropFirst;
  }
};

class Impairment {
 public:
  explicit Impairment(const ImpairmentConfig& c = {}, uint64_t seed = 1);
  /// Release times for one datagram offered at |nowUs|: none = dropped, two = duplicated.
  std::vector<uint64_t> decide(uint64_t nowUs);
  const ImpairmentConfig& config() const { return config_; }
  uint64_t dropped() const { return dropped_; }

 private:
  bool lose();
  ImpairmentConfig config_;
  std::mt19937_64 rng_;
  bool bad_ = false;
  uint32_t seen_ = 0;
  uint64_t lastReleaseUs_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace rdk::udp
