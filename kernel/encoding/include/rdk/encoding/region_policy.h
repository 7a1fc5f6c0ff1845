// The per-window encoding plan of one released batch: the video region (VideoRegionDetector) as
// one video draw sized to the region, the rest of the damage as pictures around it (lossless
// preferred), and no video while the area has been scrolling (a scroll draw is far cheaper than
// video, and video would blur the text; Xpra 3.1.3 holds video 5 s after a scroll).
// Properties only: the Selector knows encoders by their features, never by name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rdk/encoding/selector.h"
#include "rdk/encoding/types.h"
#include "rdk/encoding/video_region.h"
#include "rdk/encoding/window_state.h"

namespace rdk::encoding {

struct PlannedDraw {
  Rect rect;
  Choice choice;
};

struct BatchPlan {
  std::vector<PlannedDraw> draws;
  std::optional<Rect> videoRegion;  // the region sent as video in this plan
  std::string why;                  // why video (or why not), for `rdkernel info`
};

/// Scrolling recently seen in a window (the session records it when it sends a scroll draw).
struct ScrollHistory {
  Rect area;
  uint64_t lastUs = 0;
  uint64_t holdUs = 5'000'000;
  bool recent(const Rect& r, uint64_t nowUs) const;
};

/// What the moving area looks like, sampled by the session from its pixels. Text, drawings and
/// flat-shaded animations have few colours and compress far better as lossless pictures than as
/// video (measured: a terminal listing files as a vp8 region ran at 5 frames/s where png ran at
/// 26); photos and films have many.
struct RegionContent {
  Rect area;             // what was sampled (the region at the time)
  uint32_t colours = 0;  // distinct colours among the samples (capped at the limit)
  uint64_t sampledUs = 0;
  uint32_t minColours = 64;  // fewer: no video for this area
  uint64_t resampleUs = 1'000'000;
  bool stale(const Rect& region, uint64_t nowUs) const {
    return !(area == region) || nowUs >= sampledUs + resampleUs;
  }
};

/// Distinct 24-bit colours among up to 64x64 pixels sampled on a grid over a BGRX picture,
/// counting stops at |limit|.
uint32_t sampleColours(const uint8_t* bgrx, size_t stride, uint32_t width, uint32_t height,
                       uint32_t limit);

/// Plans |rects| (one batch of |window|) given the detector's current region. |content|: the
/// region's sampled colours (null: not sampled, video allowed).
BatchPlan planBatch(const Selector& selector, const WindowEncodingState& window,
                    const VideoRegionDetector& regions, const ScrollHistory& scrolls,
                    const std::vector<Rect>& rects, const NetworkState& net, uint64_t nowUs,
                    const RegionContent* content = nullptr);

}  // namespace rdk::encoding
