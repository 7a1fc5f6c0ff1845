#include "rdk/encoding/window_state.h"

#include <algorithm>

#include "rdk/encoding/damage_batcher.h"
#include "rdk/encoding/video_region.h"

namespace rdk::encoding {

namespace {
constexpr uint64_t kHistoryUs = 1'000'000;  // rates are measured over the last second
constexpr size_t kMaxSamples = 512;         // bounds memory under a damage flood
constexpr double kTextAreaFraction = 0.05;  // mean change below 5% of the window looks like text
/// now - then, 0 when |then| is later (stamps taken on other threads can be newer than |now|).
uint64_t since(uint64_t nowUs, uint64_t thenUs) {
  return nowUs > thenUs ? nowUs - thenUs : 0;
}
bool overlaps(const Rect& a, const Rect& b) {
  return !intersect(a, b).empty();
}
}  // namespace

WindowEncodingState::WindowEncodingState(const Settings& settings, uint32_t width, uint32_t height,
                                         uint64_t nowUs)
    : settings_(settings), width_(width), height_(height), resizedUs_(nowUs) {}

void WindowEncodingState::onResize(uint32_t width, uint32_t height, uint64_t nowUs) {
  if (width == width_ && height == height_)
    return;
  width_ = width;
  height_ = height;
  resizedUs_ = nowUs;
  keyframeWanted_ = true;  // a new video stream of the new size
  motionSinceUs_ = nowUs;
}

void WindowEncodingState::expire(uint64_t nowUs) const {
  while (!recent_.empty() && recent_.front().timeUs + kHistoryUs < nowUs)
    recent_.pop_front();
}

void WindowEncodingState::onDamage(const Rect& region, uint64_t nowUs) {
  // Motion is "sustained" while damage keeps coming at least every two video frame intervals.
  const auto maxGapUs = static_cast<uint64_t>(2'000'000.0 / std::max(settings_.videoMinFps, 1.0));
  if (!everDamaged_ || since(nowUs, lastDamageUs_) > maxGapUs)
    motionSinceUs_ = nowUs;
  everDamaged_ = true;
  lastDamageUs_ = nowUs;
  if (lossyPending_ && overlaps(region, lossyArea_))
    lossyTouchedUs_ = nowUs;  // the lossy content is still changing: refresh later
  recent_.push_back({nowUs, region.pixels()});
  if (recent_.size() > kMaxSamples)
    recent_.pop_front();
  expire(nowUs);
}

void WindowEncodingState::onEncoded(const Choice& choice, const Rect& region, uint64_t nowUs) {
  if (choice.encoding.empty())
    return;
  encodeTimes_.started(choice.encoding, region.pixels(), nowUs);
  if (choice.video)
    keyframeWanted_ = false;
  const bool wholeWindow =
      region.x <= 0 && region.y <= 0 && region.w >= width_ && region.h >= height_;
  if (choice.refresh || (choice.lossless && wholeWindow)) {
    // A refresh settles the window even when a lossy link made it a high-quality video frame.
    lossyPending_ = false;
    if (choice.refresh)
      errorRefreshAtUs_ = 0;
  } else if (!choice.lossless) {
    lossyArea_ = lossyPending_ ? boundingBox(lossyArea_, region) : region;
    lossyPending_ = true;
    lossyTouchedUs_ = std::max(lossyTouchedUs_, nowUs);
  }
}

void WindowEncodingState::onAck(int64_t decodeTimeUs, uint64_t nowUs) {
  if (decodeTimeUs < 0) {
    onDecodeError(nowUs);
    return;
  }
  if (decodeTimeUs == 0)
    return;  // painting skipped: says nothing about decode speed
  const auto t = static_cast<uint64_t>(decodeTimeUs);
  meanDecodeUs_ = meanDecodeUs_ == 0 ? t : (meanDecodeUs_ * 7 + t) / 8;
}

void WindowEncodingState::onDecodeError(uint64_t nowUs) {
  ++decodeErrors_;
  keyframeWanted_ = true;
  const uint64_t delayMs = std::min<uint64_t>(1000, 250 + 100ull * decodeErrors_);
  errorRefreshAtUs_ = nowUs + delayMs * 1000;
}

void WindowEncodingState::onLost(uint64_t nowUs) {
  lastLossUs_ = nowUs;
  keyframeWanted_ = true;
}

double WindowEncodingState::damageFps(uint64_t nowUs) const {
  expire(nowUs);
  return static_cast<double>(recent_.size()) * 1e6 / static_cast<double>(kHistoryUs);
}

double WindowEncodingState::areaFractionPerSecond(uint64_t nowUs) const {
  expire(nowUs);
  if (windowPixels() == 0)
    return 0.0;
  uint64_t sum = 0;
  for (const auto& s : recent_)
    sum += s.pixels;
  return static_cast<double>(sum) / static_cast<double>(windowPixels()) * 1e6 /
         static_cast<double>(kHistoryUs);
}

bool WindowEncodingState::sustainedMotion(uint64_t nowUs) const {
  if (!everDamaged_ || sinceLastChangeUs(nowUs) > 2'000'000.0 / settings_.videoMinFps)
    return false;
  if (since(nowUs, motionSinceUs_) < settings_.videoSustainUs)
    return false;
  if (textLike(nowUs))
    return false;
  return damageFps(nowUs) >= settings_.videoMinFps &&
         areaFractionPerSecond(nowUs) >= settings_.videoMinAreaFraction * settings_.videoMinFps;
}

bool WindowEncodingState::textLike(uint64_t nowUs) const {
  expire(nowUs);
  if (recent_.empty() || windowPixels() == 0)
    return false;
  uint64_t sum = 0;
  for (const auto& s : recent_)
    sum += s.pixels;
  const double meanFraction = static_cast<double>(sum) / static_cast<double>(recent_.size()) /
                              static_cast<double>(windowPixels());
  return meanFraction < kTextAreaFraction;
}

uint64_t WindowEncodingState::sinceLastChangeUs(uint64_t nowUs) const {
  if (!everDamaged_)
    return UINT64_MAX;
  return since(nowUs, lastDamageUs_);
}

bool WindowEncodingState::recentlyResized(uint64_t nowUs) const {
  return since(nowUs, resizedUs_) < settings_.resizeHoldUs;
}

uint64_t WindowEncodingState::refreshAtUs() const {
  uint64_t at = 0;
  if (lossyPending_)
    at = lossyTouchedUs_ + settings_.autoRefreshDelayUs;
  if (errorRefreshAtUs_ != 0)
    at = at == 0 ? errorRefreshAtUs_ : std::min(at, errorRefreshAtUs_);
  return at;
}

Rect WindowEncodingState::refreshRegion() const {
  const Rect whole{0, 0, width_, height_};
  if (errorRefreshAtUs_ != 0 || !lossyPending_)
    return whole;
  const Rect r = intersect(lossyArea_, whole);
  return r.empty() ? whole : r;
}

bool WindowEncodingState::refreshDue(uint64_t nowUs) const {
  const uint64_t at = refreshAtUs();
  return at != 0 && nowUs >= at;
}

}  // namespace rdk::encoding
