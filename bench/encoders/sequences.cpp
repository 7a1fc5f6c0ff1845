#include "sequences.hpp"

#include <cmath>

namespace rdk::bench {

namespace {
uint32_t hash(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

void fill(test::Picture& p, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint8_t b, uint8_t g,
          uint8_t r) {
  for (uint32_t y = y0; y < std::min(p.height, y0 + h); ++y)
    for (uint32_t x = x0; x < std::min(p.width, x0 + w); ++x) {
      uint8_t* px = p.at(x, y);
      px[0] = b, px[1] = g, px[2] = r, px[3] = 0xff;
    }
}

// A "glyph" in an 8x16 cell: a few strokes chosen by the character code.
bool glyphPixel(uint32_t code, uint32_t cx, uint32_t cy) {
  if (code % 5 == 0 || cx == 0 || cx == 7 || cy < 3 || cy > 13)
    return false;  // spaces, margins
  const uint32_t bits = hash(code);
  if ((bits & 1) && (cx == 1 || cx == 2))
    return true;  // left stem
  if ((bits & 2) && (cx == 5 || cx == 6))
    return true;  // right stem
  if ((bits & 4) && (cy == 3 || cy == 4))
    return true;  // top bar
  if ((bits & 8) && (cy == 8))
    return true;  // middle bar
  if ((bits & 16) && (cy == 12 || cy == 13))
    return true;  // bottom bar
  return false;
}

// Windows on a gradient wallpaper, a title bar each.
test::Picture desktop(uint32_t w, uint32_t h) {
  test::Picture p(w, h);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      uint8_t* px = p.at(x, y);
      px[0] = static_cast<uint8_t>(120 + y * 80 / h), px[1] = static_cast<uint8_t>(60 + x * 60 / w);
      px[2] = 40, px[3] = 0xff;
    }
  fill(p, 100, 80, 900, 700, 245, 245, 245);
  fill(p, 100, 80, 900, 28, 90, 60, 50);
  for (uint32_t row = 0; row < 40; ++row)
    for (uint32_t col = 0; col < 100; ++col) {
      const uint32_t code = hash(row * 131 + col) % 96;
      for (uint32_t cy = 0; cy < 16; ++cy)
        for (uint32_t cx = 0; cx < 8; ++cx)
          if (glyphPixel(code, cx, cy))
            fill(p, 110 + col * 8 + cx, 120 + row * 16 + cy, 1, 1, 30, 30, 30);
    }
  fill(p, 1100, 200, 700, 500, 230, 220, 200);
  fill(p, 1100, 200, 700, 28, 120, 80, 40);
  return p;
}
}  // namespace

std::string nameOf(SequenceKind kind) {
  switch (kind) {
    case SequenceKind::kScrollingText:
      return "scrolling-text";
    case SequenceKind::kVideoRegion:
      return "video-region";
    case SequenceKind::kMostlyStatic:
      return "mostly-static";
  }
  return "?";
}

std::vector<test::Picture> makeSequence(SequenceKind kind, uint32_t width, uint32_t height,
                                        uint32_t frames) {
  std::vector<test::Picture> out;
  const test::Picture base = desktop(width, height);
  for (uint32_t f = 0; f < frames; ++f) {
    test::Picture p = base;
    switch (kind) {
      case SequenceKind::kScrollingText: {
        // The whole screen is a terminal whose text moves up 4 px per frame.
        const uint32_t offset = f * 4;
        for (uint32_t y = 0; y < height; ++y) {
          const uint32_t py = y + offset, row = py / 16, cy = py % 16;
          for (uint32_t x = 0; x < width; ++x) {
            const uint32_t code = hash(row * 977 + x / 8) % 96;
            uint8_t* px = p.at(x, y);
            const bool ink = glyphPixel(code, x % 8, cy);
            const uint8_t v = ink ? 220 : 24;
            px[0] = v, px[1] = ink ? 220 : 28, px[2] = ink ? 210 : 24, px[3] = 0xff;
          }
        }
        break;
      }
      case SequenceKind::kVideoRegion: {
        const double t = f / 30.0;
        for (uint32_t y = 0; y < 360; ++y)
          for (uint32_t x = 0; x < 640; ++x) {
            const double u = x / 640.0, v = y / 360.0;
            const double a = std::sin(10 * u + 3 * t) + std::sin(8 * v - 2 * t) +
                             std::sin(12 * (u + v) + 4 * t) +
                             std::sin(std::hypot(u - 0.5, v - 0.5) * 25 - 5 * t);
            const uint32_t n = hash(x + y * 640 + f * 230400) & 7;  // sensor noise
            uint8_t* px = p.at(640 + x, 360 + y);
            px[0] = static_cast<uint8_t>(128 + 30 * a + n),
            px[1] = static_cast<uint8_t>(100 + 25 * a + n);
            px[2] = static_cast<uint8_t>(90 + 35 * std::sin(a + t) + n), px[3] = 0xff;
          }
        break;
      }
      case SequenceKind::kMostlyStatic: {
        // A clock (seconds change every frame here) and a blinking cursor.
        const uint32_t secs = f;
        for (uint32_t d = 0; d < 4; ++d) {
          const uint32_t code = 16 + (secs / (d == 0 ? 1 : d * 10)) % 10;
          for (uint32_t cy = 0; cy < 16; ++cy)
            for (uint32_t cx = 0; cx < 8; ++cx)
              fill(p, width - 60 + d * 8 + cx, 4 + cy, 1, 1, glyphPixel(code, cx, cy) ? 255 : 40,
                   glyphPixel(code, cx, cy) ? 255 : 40, glyphPixel(code, cx, cy) ? 255 : 40);
        }
        if (f % 2 == 0)
          fill(p, 110 + 8 * 20, 120 + 16 * 39, 2, 16, 0, 0, 0);
        break;
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace rdk::bench
