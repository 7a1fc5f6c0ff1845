// A BGRX pixel buffer with the few drawing primitives the synthetic desktop needs. Every primitive
// clips to the canvas and to an optional clip rectangle, so callers can redraw one region exactly.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rdk/plugin_abi.h"

namespace rdk::synthetic {

/// 0x00RRGGBB.
using Color = uint32_t;

struct Rect {
  int32_t x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
  bool contains(int32_t px, int32_t py) const {
    return px >= x && py >= y && px < x + w && py < y + h;
  }
  bool operator==(const Rect&) const = default;
  Rect intersect(const Rect& o) const;
  rdk_rect toAbi() const;
};

class Canvas {
 public:
  Canvas() = default;
  Canvas(int32_t width, int32_t height);

  /// Reallocates to |width| x |height|, all pixels black.
  void resize(int32_t width, int32_t height);
  int32_t width() const { return width_; }
  int32_t height() const { return height_; }
  uint32_t stride() const { return static_cast<uint32_t>(width_) * 4; }
  Rect bounds() const { return {0, 0, width_, height_}; }
  uint8_t* row(int32_t y) { return pixels_.data() + static_cast<size_t>(y) * stride(); }
  const uint8_t* row(int32_t y) const { return pixels_.data() + static_cast<size_t>(y) * stride(); }

  void setPixel(int32_t x, int32_t y, Color c);
  Color pixel(int32_t x, int32_t y) const;
  void fill(const Rect& r, Color c, const Rect& clip);
  void fill(const Rect& r, Color c) { fill(r, c, bounds()); }
  void frame(const Rect& r, Color c, const Rect& clip);
  /// Draws |text| with the top-left of the first cell at |x|,|y|; returns the x after the text.
  int32_t text(int32_t x, int32_t y, std::string_view text, Color ink, const Rect& clip);
  int32_t text(int32_t x, int32_t y, std::string_view s, Color ink) {
    return text(x, y, s, ink, bounds());
  }
  /// A vertical gradient from |top| to |bottom| over |r|.
  void verticalGradient(const Rect& r, Color top, Color bottom);

  /// The view of |r| (which must lie inside the canvas) handed out by capture().
  rdk_image view(const Rect& r) const;

 private:
  int32_t width_ = 0;
  int32_t height_ = 0;
  std::vector<uint8_t> pixels_;
};

}  // namespace rdk::synthetic
