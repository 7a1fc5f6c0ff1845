#include "canvas.h"

#include <algorithm>
#include <cstring>

#include "bitmap_font.h"

namespace rdk::synthetic {

Rect Rect::intersect(const Rect& o) const {
  const int32_t x0 = std::max(x, o.x);
  const int32_t y0 = std::max(y, o.y);
  const int32_t x1 = std::min(x + w, o.x + o.w);
  const int32_t y1 = std::min(y + h, o.y + o.h);
  if (x1 <= x0 || y1 <= y0)
    return {};
  return {x0, y0, x1 - x0, y1 - y0};
}

rdk_rect Rect::toAbi() const {
  return {x, y, static_cast<uint32_t>(std::max(w, 0)), static_cast<uint32_t>(std::max(h, 0))};
}

Canvas::Canvas(int32_t width, int32_t height) {
  resize(width, height);
}

void Canvas::resize(int32_t width, int32_t height) {
  width_ = std::max(width, 0);
  height_ = std::max(height, 0);
  pixels_.assign(static_cast<size_t>(width_) * height_ * 4, 0);
}

void Canvas::setPixel(int32_t x, int32_t y, Color c) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_)
    return;
  uint8_t* p = row(y) + static_cast<size_t>(x) * 4;
  p[0] = static_cast<uint8_t>(c);
  p[1] = static_cast<uint8_t>(c >> 8);
  p[2] = static_cast<uint8_t>(c >> 16);
  p[3] = 0xff;
}

Color Canvas::pixel(int32_t x, int32_t y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_)
    return 0;
  const uint8_t* p = row(y) + static_cast<size_t>(x) * 4;
  return static_cast<Color>(p[0]) | static_cast<Color>(p[1]) << 8 | static_cast<Color>(p[2]) << 16;
}

void Canvas::fill(const Rect& r, Color c, const Rect& clip) {
  const Rect area = r.intersect(clip).intersect(bounds());
  if (area.empty())
    return;
  // One row pixel by pixel, the others copied from it.
  uint8_t* first = row(area.y) + static_cast<size_t>(area.x) * 4;
  const uint8_t pixel[4] = {static_cast<uint8_t>(c), static_cast<uint8_t>(c >> 8),
                            static_cast<uint8_t>(c >> 16), 0xff};
  for (int32_t x = 0; x < area.w; ++x)
    std::memcpy(first + static_cast<size_t>(x) * 4, pixel, 4);
  for (int32_t y = area.y + 1; y < area.y + area.h; ++y) {
    std::memcpy(row(y) + static_cast<size_t>(area.x) * 4, first, static_cast<size_t>(area.w) * 4);
  }
}

void Canvas::frame(const Rect& r, Color c, const Rect& clip) {
  fill({r.x, r.y, r.w, 1}, c, clip);
  fill({r.x, r.y + r.h - 1, r.w, 1}, c, clip);
  fill({r.x, r.y, 1, r.h}, c, clip);
  fill({r.x + r.w - 1, r.y, 1, r.h}, c, clip);
}

int32_t Canvas::text(int32_t x, int32_t y, std::string_view s, Color ink, const Rect& clip) {
  const Rect area = clip.intersect(bounds());
  for (char ch : s) {
    const Rect cell{x, y, BitmapFont::kCellWidth, BitmapFont::kCellHeight};
    if (!cell.intersect(area).empty()) {
      const uint8_t* rows = BitmapFont::rows(ch);
      for (int r = 0; r < BitmapFont::kGlyphRows; ++r) {
        for (int c = 0; c < BitmapFont::kGlyphWidth; ++c) {
          const int32_t px = x + c, py = y + 1 + r;
          if ((rows[r] & (0x10u >> c)) && area.contains(px, py))
            setPixel(px, py, ink);
        }
      }
    }
    x += BitmapFont::kCellWidth;
  }
  return x;
}

void Canvas::verticalGradient(const Rect& r, Color top, Color bottom) {
  const Rect area = r.intersect(bounds());
  if (area.empty())
    return;
  auto channel = [](Color c, int shift) { return static_cast<int32_t>((c >> shift) & 0xff); };
  for (int32_t y = area.y; y < area.y + area.h; ++y) {
    const int32_t num = y - r.y, den = std::max(r.h - 1, 1);
    Color c = 0;
    for (int shift : {0, 8, 16}) {
      const int32_t v =
          channel(top, shift) + (channel(bottom, shift) - channel(top, shift)) * num / den;
      c |= static_cast<Color>(v) << shift;
    }
    fill({area.x, y, area.w, 1}, c);
  }
}

rdk_image Canvas::view(const Rect& r) const {
  rdk_image image{};
  image.struct_size = sizeof(image);
  image.width = static_cast<uint32_t>(r.w);
  image.height = static_cast<uint32_t>(r.h);
  image.stride = stride();
  image.format = RDK_PIXEL_BGRX;
  image.pixels = row(r.y) + static_cast<size_t>(r.x) * 4;
  return image;
}

}  // namespace rdk::synthetic
