#include "rdk/encoding/region_policy.h"

#include <algorithm>
#include <unordered_set>

namespace rdk::encoding {

bool ScrollHistory::recent(const Rect& r, uint64_t nowUs) const {
  if (lastUs == 0 || nowUs > lastUs + holdUs)
    return false;
  return !intersect(area, r).empty();
}

uint32_t sampleColours(const uint8_t* bgrx, size_t stride, uint32_t width, uint32_t height,
                       uint32_t limit) {
  if (!bgrx || width == 0 || height == 0)
    return 0;
  std::unordered_set<uint32_t> seen;
  const uint32_t stepX = std::max<uint32_t>(1, width / 64),
                 stepY = std::max<uint32_t>(1, height / 64);
  for (uint32_t y = stepY / 2; y < height; y += stepY) {
    const uint8_t* row = bgrx + size_t{y} * stride;
    for (uint32_t x = stepX / 2; x < width; x += stepX) {
      const uint8_t* p = row + size_t{x} * 4;
      seen.insert(uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16);
      if (seen.size() >= limit)
        return limit;
    }
  }
  return static_cast<uint32_t>(seen.size());
}

BatchPlan planBatch(const Selector& selector, const WindowEncodingState& window,
                    const VideoRegionDetector& regions, const ScrollHistory& scrolls,
                    const std::vector<Rect>& rects, const NetworkState& net, uint64_t nowUs,
                    const RegionContent* content) {
  BatchPlan plan;
  plan.why = regions.why();
  Choice video;
  if (const auto& region = regions.region()) {
    if (scrolls.recent(*region, nowUs))
      plan.why = "no video: the area scrolled in the last 5 s (" + regions.why() + ")";
    else if (content && content->area == *region && content->colours < content->minColours)
      plan.why = "no video: " + std::to_string(content->colours) +
                 " colours in the moving area, pictures compress it better (" + regions.why() + ")";
    else
      video = selector.chooseVideo(window, *region, net, nowUs, regions.why());
    if (video.encoding.empty() && !video.reason.empty())
      plan.why = "no video: " + video.reason;
  }
  if (!video.encoding.empty()) {
    const Rect& region = *regions.region();
    bool touched = false;
    for (const Rect& r : rects)
      touched = touched || !intersect(r, region).empty();
    if (touched) {
      plan.draws.push_back({region, video});
      plan.videoRegion = region;
    }
    ChooseOptions around;
    around.allowVideo = false;
    around.preferLossless = true;
    for (const Rect& r : rects) {
      for (const Rect& piece : subtract(r, region)) {
        Choice c = selector.choose(window, piece, net, nowUs, around);
        if (!c.encoding.empty())
          plan.draws.push_back({piece, std::move(c)});
      }
    }
    return plan;
  }
  // No region: stills, and video only for Selector's loss rule (whole window, big damage).
  ChooseOptions stills;
  stills.motionVideo = false;
  bool videoPlanned = false;
  for (const Rect& r : rects) {
    Choice c = selector.choose(window, r, net, nowUs, stills);
    if (c.encoding.empty() || (c.video && videoPlanned))
      continue;
    videoPlanned = videoPlanned || c.video;
    const Rect rect = c.video ? Rect{0, 0, window.width(), window.height()} : r;
    plan.draws.push_back({rect, std::move(c)});
  }
  return plan;
}

}  // namespace rdk::encoding
