// PingStats: round-trip statistics from ping / ping_echo exchanges, and the load the peer
// reports in its echoes. Not thread-safe (one per connection, owned by its session).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "rdk/protocol/messages/core.h"

namespace rdk::protocol {

class PingStats {
 public:
  // Keeps the last `window` samples for average and p95; min is over the same window.
  explicit PingStats(size_t window = 100) : window_(window == 0 ? 1 : window) {}

  // An echo of our ping arrived at nowMs (same monotonic clock as the ping's time). Echoes
  // from the future (clock misuse) are ignored. Returns the round trip, if recorded.
  std::optional<double> recordEcho(const PingEcho& echo, int64_t nowMs);
  void addSample(double rttMs);

  size_t count() const { return samples_.size(); }
  uint64_t totalSamples() const { return total_; }
  std::optional<double> lastMs() const;
  std::optional<double> minMs() const;
  std::optional<double> averageMs() const;
  std::optional<double> p95Ms() const;  // nearest-rank 95th percentile

  struct Load {
    double load1, load5, load15;  // load averages (the echo carries them x1000)
  };
  std::optional<Load> peerLoad() const { return peerLoad_; }
  // The latency the peer itself measured (its ping_echo field), -1 when unknown.
  int64_t peerLatencyMs() const { return peerLatencyMs_; }

 private:
  size_t window_;
  std::deque<double> samples_;
  uint64_t total_ = 0;
  std::optional<Load> peerLoad_;
  int64_t peerLatencyMs_ = -1;
};

}  // namespace rdk::protocol
