#include "fec_policy.hpp"

#include <algorithm>
#include <cmath>

#include "wire.hpp"

namespace rdk::udp {

double groupFailure(size_t k, size_t m, double loss, double burst) {
  burst = std::max(1.0, burst);
  const size_t n = k + m;
  // Events that each start a run of |burst| losses; the group survives floor(m / burst) of them.
  const double q = std::clamp(loss / burst, 0.0, 1.0);
  const size_t tolerated = static_cast<size_t>(std::floor(static_cast<double>(m) / burst));
  if (tolerated >= n)
    return 0;
  double ok = 0;
  double term = std::pow(1 - q, static_cast<double>(n));  // P(0 events)
  for (size_t i = 0; i <= tolerated; ++i) {
    ok += term;
    if (q >= 1)
      break;
    term *= static_cast<double>(n - i) / static_cast<double>(i + 1) * q / (1 - q);
  }
  return std::clamp(1 - ok, 0.0, 1.0);
}

double fecTarget(const FecConditions& c, bool strong) {
  const double base = c.srttUs < c.repairRttUs ? 0.05 : 0.005;
  return strong ? base / 10 : base;
}

size_t rsParityCount(size_t k, const FecConditions& c, bool strong) {
  if (k == 0 || c.loss < 0.005)
    return 0;
  size_t cap = std::min<size_t>(
      kMaxFecParities, std::max<size_t>(2, static_cast<size_t>(std::ceil(0.6 * double(k)))));
  if (c.maxParityShare > 0)
    cap = std::min(cap, static_cast<size_t>(std::floor(c.maxParityShare * double(k) + 1e-9)));
  const double target = fecTarget(c, strong);
  for (size_t m = 0; m < cap; ++m) {
    if (groupFailure(k, m, c.loss, c.burst) <= target)
      return m;
  }
  return cap;
}

}  // namespace rdk::udp
