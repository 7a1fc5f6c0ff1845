// Percentiles over a bounded window of samples, plus whole-run totals.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

namespace rdk::session {

class LatencyStats {
 public:
  explicit LatencyStats(size_t window = 4096) : window_(window) {}
  void add(double value) {
    recent_.push_back(value);
    if (recent_.size() > window_)
      recent_.pop_front();
    // Keeps a bounded, evenly thinned history for the end-of-run summary.
    if (all_.size() < kMaxHistory) {
      all_.push_back(value);
    } else if (++thin_ % 2 == 0) {
      all_[(thin_ / 2) % kMaxHistory] = value;
    }
    ++count_;
  }
  uint64_t count() const { return count_; }
  double recentPercentile(double p) const { return percentile(recent_, p); }
  double overallPercentile(double p) const { return percentile(all_, p); }

 private:
  static constexpr size_t kMaxHistory = 200'000;
  template <class C>
  static double percentile(const C& samples, double p) {
    if (samples.empty())
      return 0;
    std::vector<double> sorted(samples.begin(), samples.end());
    const size_t index =
        std::min(sorted.size() - 1, static_cast<size_t>(p / 100.0 * sorted.size()));
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(index), sorted.end());
    return sorted[index];
  }
  size_t window_;
  std::deque<double> recent_;
  std::vector<double> all_;
  uint64_t thin_ = 0;
  uint64_t count_ = 0;
};

}  // namespace rdk::session
