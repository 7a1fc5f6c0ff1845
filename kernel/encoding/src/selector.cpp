#include "rdk/encoding/selector.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rdk::encoding {

namespace {
int clampInt(int v, int lo, int hi) {
  return std::max(lo, std::min(hi, v));
}
}  // namespace

Selector::Selector(std::vector<EncoderCandidate> serverSide,
                   std::vector<std::string> clientEncodings, Settings settings)
    : settings_(settings) {
  for (auto& c : serverSide) {
    if (std::find(clientEncodings.begin(), clientEncodings.end(), c.name) != clientEncodings.end())
      common_.push_back(std::move(c));
  }
}

bool Selector::lossyLink(const NetworkState& net) const {
  return net.lossPermille >= settings_.lossyLinkPermille;
}

bool Selector::fits(const EncoderCandidate& c, const Rect& region) const {
  const uint64_t px = region.pixels();
  return px >= c.minPixels && px <= c.maxPixels && region.w <= c.maxWidth &&
         region.h <= c.maxHeight;
}

double Selector::cost(const EncoderCandidate& c, const WindowEncodingState& window,
                      uint64_t nowUs) const {
  const double unit = std::max(settings_.costUnitUsPerMpx, 1.0);
  const EncodeTimes& times = window.encodeTimes();
  if (const auto measured = times.usPerMegapixel(c.name, nowUs))
    return *measured / unit;
  // Not measured here yet, while others are: measured times hold the client's decode and paint
  // and this machine's speed and load, the features' figure neither. Unscaled, an unmeasured
  // encoding looked far cheaper than the measured ones and was tried blindly: rgb32 (declared
  // 1) where rgb24 measured 7-12 ms/Mpx; on the ls workload at load 4-11, lossy webp (declared
  // 25) where only jpeg was measured, at 40-60 with its decode (declared 6): four 1200x780 webp
  // encodes of 200-500 ms queued on the window's lane, capture-to-paint up to 1.3 s. So it is
  // scaled by the measured/declared ratio of the window's measured encodings. With two or more,
  // by the largest (assumed no better than the worst of them). With one, by the square root of
  // its ratio: one ratio mixes this machine's speed with that encoding's own fit to the content,
  // and which part is which is not known yet (split evenly, a slow encoding still lets the
  // others be tried, a slow machine no longer makes the unmeasured look cheap). Its rank can
  // still win it a try.
  double ratio = 0;
  int known = 0;
  for (const auto& other : common_) {
    if (other.cost <= 0)
      continue;
    if (const auto m = times.usPerMegapixel(other.name, nowUs)) {
      ratio = std::max(ratio, (*m / unit) / other.cost);
      ++known;
    }
  }
  double guess = known >= 2 ? c.cost * ratio : known == 1 ? c.cost * std::sqrt(ratio) : c.cost;
  // One sample is no estimate, but a slow one must not be ignored until the second arrives.
  if (const auto first = times.firstSample(c.name, nowUs))
    guess = std::max(guess, *first / unit);
  return guess;
}

const EncoderCandidate* Selector::best(Want want, const WindowEncodingState& window,
                                       const Rect& region, int speed, const NetworkState& net,
                                       uint64_t nowUs) const {
  // Cost weighs more as the speed target rises (quadratically: at speed 100 the cheapest encoding
  // wins, like Xpra's "rgb at speed >= 95"); with a thin link (< 10 Mbit/s known) compression
  // weighs more. Both are properties from features.json, never names.
  const double s = speed / 100.0;
  double costWeight = 0.25 + 3.0 * s * s;
  if (net.bandwidthBps != 0 && net.bandwidthBps < 10'000'000)
    costWeight *= 0.5;
  // Stills only: a big picture holds the window's lane for its whole encode, so its cost weighs
  // more with its area (measured: lossless webp of a 1200x800 terminal made capture-to-paint p99
  // 5x png's). Video streams are sized to their region and judged per frame.
  // On a lossy link bytes matter more (every loss resends them): no such weighting there.
  if (want != Want::kVideo && region.pixels() > settings_.bigPixels && !lossyLink(net))
    costWeight *= std::min(8.0, 1.0 + static_cast<double>(region.pixels()) / 262144.0);
  const EncoderCandidate* chosen = nullptr;
  double chosenScore = 0;
  // The client named this video encoding: it is the video (Xpra 3.1.3 keeps a named video
  // encoding as its current one when it chooses video).
  if (want == Want::kVideo && !settings_.preferredEncoding.empty()) {
    for (const auto& c : common_)
      if (c.video && c.name == settings_.preferredEncoding && fits(c, region))
        return &c;
  }
  const auto wanted = [&](const EncoderCandidate& c) {
    if (!fits(c, region))
      return false;
    switch (want) {
      case Want::kLossless:
        return c.lossless && !c.video;
      case Want::kLossyStill:
        return c.lossy && !c.video;
      case Want::kVideo:
        return c.video;
    }
    return false;
  };
  // An encoding on trial (started, not known yet, no time back) is not tried again while a
  // measured one can do the job: the second trial would queue behind the first on the window's
  // lane and learn nothing the first will not tell.
  const EncodeTimes& times = window.encodeTimes();
  bool measuredFits = false;
  for (const auto& c : common_)
    measuredFits = measuredFits || (wanted(c) && times.usPerMegapixel(c.name, nowUs));
  for (const auto& c : common_) {
    if (!wanted(c) || (measuredFits && times.awaited(c.name, nowUs)))
      continue;
    const double score = c.rank - costWeight * cost(c, window, nowUs);
    if (!chosen || score > chosenScore) {
      chosen = &c;
      chosenScore = score;
    }
  }
  return chosen;
}

Choice Selector::make(const EncoderCandidate& c, int quality, int speed, std::string reason) const {
  Choice out;
  out.encoding = c.name;
  out.quality = quality;
  out.speed = speed;
  out.video = c.video;
  out.lossless = !c.video && c.lossless && (!c.lossy || quality >= settings_.losslessQuality);
  if (out.lossless)
    out.quality = 100;
  out.reason = std::move(reason);
  return out;
}

int Selector::targetQuality(const WindowEncodingState& window, const NetworkState& net,
                            uint64_t nowUs) const {
  if (settings_.quality >= 0)
    return clampInt(settings_.quality, settings_.minQuality, 100);
  int q = 80;
  // Each 1% of loss costs 2 points (retransmissions and key frames eat the budget), high latency
  // and thin links cost more; motion is shown at lower quality (refreshed losslessly afterwards).
  q -= static_cast<int>(std::min<uint32_t>(net.lossPermille, 200) / 5);
  if (net.srttUs > 100'000)
    q -= 10;
  if (net.bandwidthBps != 0 && net.bandwidthBps < 5'000'000)
    q -= 15;
  if (window.sustainedMotion(nowUs))
    q -= 10;
  return clampInt(q, settings_.minQuality, 100);
}

int Selector::targetSpeed(const WindowEncodingState& window, const NetworkState& net,
                          uint64_t nowUs) const {
  if (settings_.speed >= 0)
    return clampInt(settings_.speed, settings_.minSpeed, 100);
  int s = 50;
  const double fps = window.damageFps(nowUs);
  if (fps >= 20)
    s += 30;  // keep up with fast content
  else if (fps >= 8)
    s += 15;
  if (net.bandwidthBps != 0 && net.bandwidthBps < 5'000'000)
    s -= 20;  // bytes matter more
  return clampInt(s, settings_.minSpeed, 100);
}

Choice Selector::chooseVideo(const WindowEncodingState& window, const Rect& videoRect,
                             const NetworkState& net, uint64_t nowUs, std::string reason) const {
  Choice none;
  if (window.recentlyResized(nowUs)) {
    none.reason = "window just resized";
    return none;
  }
  const int speed = targetSpeed(window, net, nowUs);
  const auto* c = best(Want::kVideo, window, videoRect, speed, net, nowUs);
  if (!c) {
    none.reason = "no video encoding fits the region";
    return none;
  }
  Choice out = make(*c, targetQuality(window, net, nowUs), speed, std::move(reason));
  out.keyframe = window.keyframeWanted();
  if (out.keyframe)
    out.reason += ", key frame";
  return out;
}

Choice Selector::choose(const WindowEncodingState& window, const Rect& region,
                        const NetworkState& net, uint64_t nowUs,
                        const ChooseOptions& options) const {
  const int quality = targetQuality(window, net, nowUs);
  const int speed = targetSpeed(window, net, nowUs);
  const uint64_t px = region.pixels();

  // 1. Small regions: lossless, cheapest first (scoring at full speed makes cost dominate).
  if (px <= settings_.smallPixels || region.w < settings_.smallSide ||
      region.h < settings_.smallSide) {
    if (const auto* c = best(Want::kLossless, window, region, 100, net, nowUs))
      return make(*c, 100, speed, "small region");
  }

  // 1b. The client named a picture encoding and can take nothing else for big areas (no video
  // in common, no scroll draws): Xpra 3.1.3's window source sends it beyond its rgb threshold.
  if (const EncoderCandidate* named = preferredStill(); named && fits(*named, region)) {
    const bool lossless = named->lossless;
    return make(*named, lossless ? 100 : quality, speed, "the client's encoding");
  }

  // 2. Video: sustained motion over a large area, or a big region on a lossy link (a lost video
  // frame costs one key frame, a lost big lossless picture costs the whole picture again).
  const bool bigWindow = window.windowPixels() >= settings_.videoMinWindowPixels;
  const bool motion = options.motionVideo && window.sustainedMotion(nowUs);
  const bool lossBig = lossyLink(net) && px >= settings_.bigPixels && !window.textLike(nowUs);
  if (options.allowVideo && bigWindow && !window.recentlyResized(nowUs) && (motion || lossBig)) {
    // Video encodes the whole window at a fixed size, so the candidate must fit the window.
    const Rect whole{0, 0, window.width(), window.height()};
    if (const auto* c = best(Want::kVideo, window, whole, speed, net, nowUs)) {
      Choice out = make(*c, quality, speed, motion ? "sustained motion" : "big region under loss");
      out.keyframe = window.keyframeWanted();
      if (out.keyframe)
        out.reason += ", key frame";
      return out;
    }
  }

  // 3./4. Stills. Text-like windows (small scattered changes) stay sharp: lossless, like Xpra's
  // higher quality outside the video region.
  const bool avoidBigLossless = lossyLink(net) && px >= settings_.bigPixels;
  const bool text = window.textLike(nowUs);
  const bool keepSharp = text || options.preferLossless;
  if ((quality < settings_.losslessQuality && !keepSharp) || avoidBigLossless) {
    if (const auto* c = best(Want::kLossyStill, window, region, speed, net, nowUs))
      return make(*c, std::min(quality, settings_.losslessQuality - 1), speed,
                  avoidBigLossless ? "big still under loss" : "lossy still");
  }
  if (const auto* c = best(Want::kLossless, window, region, speed, net, nowUs))
    return make(*c, 100, speed,
                text                     ? "text-like changes, lossless"
                : options.preferLossless ? "outside the video region, lossless"
                                         : "lossless still");
  // Nothing lossless fits (e.g. a client with jpeg only): any still, then any video.
  if (const auto* c = best(Want::kLossyStill, window, region, speed, net, nowUs))
    return make(*c, quality, speed, "only lossy stills available");
  Choice none;
  none.reason = "no common encoding fits the region";
  return none;
}

const EncoderCandidate* Selector::preferredStill() const {
  if (settings_.preferredEncoding.empty() || settings_.clientScrolls)
    return nullptr;
  const EncoderCandidate* named = nullptr;
  for (const auto& c : common_) {
    if (c.video)
      return nullptr;  // a client with video: 3.1.3's video source decides by itself
    if (c.name == settings_.preferredEncoding && (c.lossless || c.lossy))
      named = &c;
  }
  return named;
}

Choice Selector::chooseRefresh(const WindowEncodingState& window, const Rect& region,
                               const NetworkState& net, uint64_t nowUs) const {
  const int speed = settings_.refreshSpeed;
  const int quality = settings_.refreshQuality;
  Choice out;
  if (lossyLink(net) && region.pixels() >= settings_.bigPixels &&
      window.windowPixels() >= settings_.videoMinWindowPixels) {
    const Rect whole{0, 0, window.width(), window.height()};
    if (const auto* c = best(Want::kVideo, window, whole, speed, net, nowUs)) {
      out = make(*c, quality, speed, "refresh under loss as high-quality video");
      out.keyframe = window.keyframeWanted();
    }
  }
  if (out.encoding.empty()) {
    if (const auto* c = best(Want::kLossless, window, region, speed, net, nowUs))
      out = make(*c, quality, speed, "lossless refresh");
    else if (const auto* lossy = best(Want::kLossyStill, window, region, speed, net, nowUs))
      out = make(*lossy, quality, speed, "refresh at full quality (no lossless encoding)");
    else {
      out.reason = "no common encoding for the refresh";
      return out;
    }
  }
  out.refresh = true;
  return out;
}

}  // namespace rdk::encoding
