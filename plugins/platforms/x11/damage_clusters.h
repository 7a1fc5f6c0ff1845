// Many damage rectangles from one poll reduced to a few boxes without joining distant areas.
// Joining everything into one bounding box (as before) turned a ticking clock's anti-aliased
// hands (> 64 rectangles) beside a spinning ico into one 1682x631 picture every second where
// 0.43 Mpx had changed (bench/pipeline/regions.sh, ico workload); the shadowed root is one window,
// so that picture held every later frame. Header-only, no X types: tests/platforms tests it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "rdk/plugin_abi.h"

namespace rdk::x11 {

/// Damage rectangles this close join one box when a poll brings too many (glyphs of a line, the
/// lines of a terminal); farther apart they stay separate pictures.
inline constexpr int64_t kNearDamageGap = 64;

/// |in| (clipped, possibly empty rectangles) as at most |maxOut| boxes covering all of it: a
/// rectangle within |gap| pixels of a box joins it; when |maxOut| boxes exist and none is near,
/// it joins the one that grows least. O(n * maxOut).
inline std::vector<rdk_rect> clusterDamage(const std::vector<rdk_rect>& in, int64_t gap,
                                           size_t maxOut) {
  struct Box {
    int64_t x0, y0, x1, y1;
    int64_t area() const { return (x1 - x0) * (y1 - y0); }
    bool near(const Box& o, int64_t g) const {
      return x0 <= o.x1 + g && o.x0 <= x1 + g && y0 <= o.y1 + g && o.y0 <= y1 + g;
    }
    Box joined(const Box& o) const {
      return {std::min(x0, o.x0), std::min(y0, o.y0), std::max(x1, o.x1), std::max(y1, o.y1)};
    }
  };
  maxOut = std::max<size_t>(maxOut, 1);
  std::vector<Box> boxes;
  // Joins |b| into |boxes|, absorbing every box it comes near (repeatedly: it grows).
  auto absorb = [&](Box b) {
    for (bool changed = true; changed;) {
      changed = false;
      for (auto it = boxes.begin(); it != boxes.end(); ++it) {
        if (it->near(b, gap)) {
          b = it->joined(b);
          boxes.erase(it);
          changed = true;
          break;
        }
      }
    }
    boxes.push_back(b);
  };
  for (const rdk_rect& r : in) {
    if (r.w == 0 || r.h == 0)
      continue;
    const Box b{r.x, r.y, int64_t{r.x} + r.w, int64_t{r.y} + r.h};
    const bool nearOne =
        std::any_of(boxes.begin(), boxes.end(), [&](const Box& o) { return o.near(b, gap); });
    if (nearOne || boxes.size() < maxOut) {
      absorb(b);
      continue;
    }
    auto least = std::min_element(boxes.begin(), boxes.end(), [&](const Box& a, const Box& c) {
      return a.joined(b).area() - a.area() < c.joined(b).area() - c.area();
    });
    const Box grown = least->joined(b);
    boxes.erase(least);
    absorb(grown);
  }
  std::vector<rdk_rect> out;
  out.reserve(boxes.size());
  for (const Box& b : boxes)
    out.push_back(rdk_rect{static_cast<int32_t>(b.x0), static_cast<int32_t>(b.y0),
                           static_cast<uint32_t>(b.x1 - b.x0), static_cast<uint32_t>(b.y1 - b.y0)});
  return out;
}

}  // namespace rdk::x11
