// What the desktop window (wid 1) shows: a banner with a clock, a column of scrolling text, a
// video-like area that changes every frame and static colour bars. Each dynamic region is redrawn
// only when its pixels change and reports the rectangle it touched, so damage stays exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "canvas.h"

namespace rdk::synthetic {

class DesktopScene {
 public:
  DesktopScene(int32_t width, int32_t height, uint64_t seed);

  /// Everything, once (static parts and the dynamic regions at |tUs|).
  void renderAll(Canvas& canvas, uint64_t tUs, uint64_t frame);
  /// The changed region, or nothing when the pixels at |tUs| equal those already drawn.
  std::optional<Rect> renderText(Canvas& canvas, uint64_t tUs);
  std::optional<Rect> renderClock(Canvas& canvas, uint64_t tUs);
  Rect renderVideo(Canvas& canvas, uint64_t frame);

  const Rect& textArea() const { return textArea_; }
  const Rect& videoArea() const { return videoArea_; }
  const Rect& clockArea() const { return clockArea_; }

 private:
  std::string lineText(uint64_t index) const;
  void drawText(Canvas& canvas, uint64_t offset);
  void drawClock(Canvas& canvas, const std::string& text);

  uint64_t seed_;
  Rect banner_, clockArea_, textArea_, videoArea_, barsArea_;
  uint64_t textOffset_ = UINT64_MAX;  // scroll position drawn last, in pixels
  std::string clockText_;
  uint8_t sine_[256];
  uint8_t clamp_[256 + 32];  // clamp_[v + 16] = v clamped to 0..255, for v in -16..271
};

/// A 32-bit mix of its inputs (deterministic noise).
uint32_t mixHash(uint64_t a, uint64_t b, uint64_t c);

}  // namespace rdk::synthetic
