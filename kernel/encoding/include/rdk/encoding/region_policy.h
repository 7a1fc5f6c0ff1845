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

/// Plans |rects| (one batch of |window|) given the detector's current region.
BatchPlan planBatch(const Selector& selector, const WindowEncodingState& window,
                    const VideoRegionDetector& regions, const ScrollHistory& scrolls,
                    const std::vector<Rect>& rects, const NetworkState& net, uint64_t nowUs);

}  // namespace rdk::encoding
