#include "rdk/encoding/region_policy.h"

namespace rdk::encoding {

bool ScrollHistory::recent(const Rect& r, uint64_t nowUs) const {
  if (lastUs == 0 || nowUs > lastUs + holdUs)
    return false;
  return !intersect(area, r).empty();
}

BatchPlan planBatch(const Selector& selector, const WindowEncodingState& window,
                    const VideoRegionDetector& regions, const ScrollHistory& scrolls,
                    const std::vector<Rect>& rects, const NetworkState& net, uint64_t nowUs) {
  BatchPlan plan;
  plan.why = regions.why();
  Choice video;
  if (const auto& region = regions.region()) {
    if (scrolls.recent(*region, nowUs))
      plan.why = "no video: the area scrolled in the last 5 s (" + regions.why() + ")";
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
