#include "rdk/protocol/ping_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace rdk::protocol {

std::optional<double> PingStats::recordEcho(const PingEcho& echo, int64_t nowMs) {
  peerLoad_ = Load{echo.load1 / 1000.0, echo.load5 / 1000.0, echo.load15 / 1000.0};
  peerLatencyMs_ = echo.latencyMs;
  if (nowMs < echo.echoedTimeMs)
    return std::nullopt;
  double rtt = static_cast<double>(nowMs - echo.echoedTimeMs);
  addSample(rtt);
  return rtt;
}

void PingStats::addSample(double rttMs) {
  samples_.push_back(rttMs);
  if (samples_.size() > window_)
    samples_.pop_front();
  ++total_;
}

std::optional<double> PingStats::lastMs() const {
  if (samples_.empty())
    return std::nullopt;
  return samples_.back();
}

std::optional<double> PingStats::minMs() const {
  if (samples_.empty())
    return std::nullopt;
  return *std::min_element(samples_.begin(), samples_.end());
}

std::optional<double> PingStats::averageMs() const {
  if (samples_.empty())
    return std::nullopt;
  return std::accumulate(samples_.begin(), samples_.end(), 0.0) /
         static_cast<double>(samples_.size());
}

std::optional<double> PingStats::p95Ms() const {
  if (samples_.empty())
    return std::nullopt;
  std::vector<double> sorted(samples_.begin(), samples_.end());
  std::sort(sorted.begin(), sorted.end());
  size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(sorted.size())));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

}  // namespace rdk::protocol
