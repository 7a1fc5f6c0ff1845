// Network impairment for tests and demos, applied at the datagram boundary in both directions:
// random and Gilbert-Elliott loss, delay, jitter, reordering, duplication and "drop the first N"
// (the seed's test for early resend logic). Decisions only: the caller holds delayed datagrams.
#pragma once

#include <cstdint>
#include <optional>
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
  // A blackout: every |blackoutEveryUs| (counted from the first datagram) the last |blackoutUs|
  // of the period drop everything, as when a Wi-Fi link or a route goes away for a while.
  uint64_t blackoutEveryUs = 0, blackoutUs = 0;
  bool blackouts() const { return blackoutEveryUs > 0 && blackoutUs > 0; }
  bool active() const {
    return lossPct > 0 || burstP > 0 || delayUs || jitterUs || reorderPct > 0 || duplicatePct > 0 ||
           dropFirst || blackouts();
  }
};

class Impairment {
 public:
  explicit Impairment(const ImpairmentConfig& c = {}, uint64_t seed = 1);
  /// Release times for one datagram offered at |nowUs|: none = dropped, two = duplicated.
  std::vector<uint64_t> decide(uint64_t nowUs);
  const ImpairmentConfig& config() const { return config_; }
  uint64_t dropped() const { return dropped_; }
  /// Of those, dropped by a blackout.
  uint64_t blackedOut() const { return blackedOut_; }

 private:
  bool lose();
  bool inBlackout(uint64_t nowUs);
  ImpairmentConfig config_;
  std::mt19937_64 rng_;
  bool bad_ = false;
  uint32_t seen_ = 0;
  uint64_t lastReleaseUs_ = 0;
  uint64_t dropped_ = 0;
  uint64_t blackedOut_ = 0;
  std::optional<uint64_t> firstUs_;  // when the first datagram was offered (blackout phase)
};

}  // namespace rdk::udp
