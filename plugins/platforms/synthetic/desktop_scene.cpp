#include "desktop_scene.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bitmap_font.h"

namespace rdk::synthetic {
namespace {

constexpr uint64_t kScrollPixelsPerSecond = 24;
constexpr Color kBannerColor = 0x1d3557;
constexpr Color kTextBackground = 0x101418;
constexpr const char* kWords[] = {"remote", "display", "kernel", "pixel",  "frame",   "window",
                                  "damage", "encoder", "packet", "cursor", "latency", "stream",
                                  "bell",   "tray",    "popup",  "sound",  "vp8",     "png",
                                  "rgb24",  "udp",     "tcp",    "xpra",   "shadow",  "capture"};

}  // namespace

uint32_t mixHash(uint64_t a, uint64_t b, uint64_t c) {
  uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full ^
               (c + 0x165667B19E3779F9ull) * 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  return static_cast<uint32_t>(h);
}

DesktopScene::DesktopScene(int32_t width, int32_t height, uint64_t seed) : seed_(seed) {
  banner_ = {0, 0, width, 20};
  const int32_t clockWidth = 12 * BitmapFont::kCellWidth;
  clockArea_ = {width - clockWidth - 40, 5, clockWidth, BitmapFont::kCellHeight};
  const int32_t half = width / 2;
  textArea_ = {8, 28, half - 16, height - 36};
  videoArea_ = {half + 8, 28, width - half - 16, (height - 36) / 2};
  barsArea_ = {half + 8, videoArea_.y + videoArea_.h + 8, videoArea_.w,
               height - 8 - (videoArea_.y + videoArea_.h + 8)};
  for (int i = 0; i < static_cast<int>(sizeof(clamp_)); ++i)
    clamp_[i] = static_cast<uint8_t>(std::clamp(i - 16, 0, 255));
  for (int i = 0; i < 256; ++i) {
    sine_[i] = static_cast<uint8_t>(127.5 + 127.5 * std::sin(i * 2.0 * M_PI / 256.0));
  }
}

void DesktopScene::renderAll(Canvas& canvas, uint64_t tUs, uint64_t frame) {
  canvas.verticalGradient(canvas.bounds(), 0x2a4d69, 0x4b86b4);
  canvas.fill(banner_, kBannerColor);
  char title[96];
  std::snprintf(title, sizeof(title), "rdkernel synthetic desktop  %dx%d  seed %llu",
                canvas.width(), canvas.height(), static_cast<unsigned long long>(seed_));
  canvas.text(6, 5, title, 0xf1faee);
  static constexpr Color kBars[] = {0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
                                    0xff00ff, 0xff0000, 0x0000ff, 0x000000};
  const int32_t bars = 8;
  for (int32_t i = 0; i < bars; ++i) {
    const int32_t x0 = barsArea_.x + barsArea_.w * i / bars;
    const int32_t x1 = barsArea_.x + barsArea_.w * (i + 1) / bars;
    canvas.fill({x0, barsArea_.y, x1 - x0, barsArea_.h}, kBars[i]);
  }
  textOffset_ = UINT64_MAX;
  clockText_.clear();
  renderText(canvas, tUs);
  renderClock(canvas, tUs);
  renderVideo(canvas, frame);
}

std::string DesktopScene::lineText(uint64_t index) const {
  char number[16];
  std::snprintf(number, sizeof(number), "%06llu ", static_cast<unsigned long long>(index));
  std::string line = number;
  const uint32_t h = mixHash(seed_, index, 0x7e57);
  const int words = 3 + static_cast<int>(h % 9);
  for (int i = 0; i < words; ++i) {
    line += kWords[mixHash(seed_, index, i) % (sizeof(kWords) / sizeof(kWords[0]))];
    line += ' ';
  }
  return line;
}

void DesktopScene::drawText(Canvas& canvas, uint64_t offset) {
  canvas.fill(textArea_, kTextBackground);
  const int32_t lineHeight = BitmapFont::kCellHeight;
  const uint64_t first = offset / lineHeight;
  const int32_t shift = static_cast<int32_t>(offset % lineHeight);
  for (int32_t i = 0; i * lineHeight - shift < textArea_.h; ++i) {
    const uint64_t index = first + i;
    const Color ink = 0x80ff80 ^ (mixHash(seed_, index, 1) & 0x3f003f);
    canvas.text(textArea_.x + 4, textArea_.y + i * lineHeight - shift, lineText(index), ink,
                textArea_);
  }
}

std::optional<Rect> DesktopScene::renderText(Canvas& canvas, uint64_t tUs) {
  const uint64_t offset = tUs * kScrollPixelsPerSecond / 1'000'000;
  if (offset == textOffset_)
    return std::nullopt;
  textOffset_ = offset;
  drawText(canvas, offset);
  return textArea_;
}

void DesktopScene::drawClock(Canvas& canvas, const std::string& text) {
  canvas.fill(clockArea_, kBannerColor);
  canvas.text(clockArea_.x, clockArea_.y, text, 0xffd166, clockArea_);
}

std::optional<Rect> DesktopScene::renderClock(Canvas& canvas, uint64_t tUs) {
  const uint64_t tenths = tUs / 100'000;
  char text[32];
  std::snprintf(text, sizeof(text), "T+%02llu:%02llu:%02llu.%llu",
                static_cast<unsigned long long>(tenths / 36000 % 100),
                static_cast<unsigned long long>(tenths / 600 % 60),
                static_cast<unsigned long long>(tenths / 10 % 60),
                static_cast<unsigned long long>(tenths % 10));
  if (clockText_ == text)
    return std::nullopt;
  clockText_ = text;
  drawClock(canvas, clockText_);
  return clockArea_;
}

Rect DesktopScene::renderVideo(Canvas& canvas, uint64_t frame) {
  const Rect& a = videoArea_;
  const uint32_t f = static_cast<uint32_t>(frame);
  // A ball that bounces across the area, drawn over a moving plasma with per-frame film grain.
  const int32_t spanX = std::max(a.w - 40, 1), spanY = std::max(a.h - 40, 1);
  const int32_t px = static_cast<int32_t>((f * 7) % (2 * spanX));
  const int32_t py = static_cast<int32_t>((f * 5) % (2 * spanY));
  const int32_t ballX = 20 + (px < spanX ? px : 2 * spanX - px);
  const int32_t ballY = 20 + (py < spanY ? py : 2 * spanY - py);
  constexpr int32_t kRadius = 18;
  for (int32_t y = 0; y < a.h; ++y) {
    uint8_t* p = canvas.row(a.y + y) + static_cast<size_t>(a.x) * 4;
    const uint32_t vy = static_cast<uint32_t>(y) * 3 - f * 2;
    const uint8_t sineVy = sine_[vy & 255];
    // Grain: a per-row LCG seeded from (seed, frame, row), so every frame's noise differs.
    uint32_t grainState = mixHash(seed_, frame, static_cast<uint64_t>(y));
    const int32_t dy = y - ballY;
    const bool ballRow = dy > -kRadius && dy < kRadius;
    for (int32_t x = 0; x < a.w; ++x, p += 4) {
      const uint32_t ux = static_cast<uint32_t>(x) * 2 + f * 3;
      const uint32_t wxy = static_cast<uint32_t>(x + y) + f * 5;
      grainState = grainState * 1664525u + 1013904223u;
      const int32_t grain = static_cast<int32_t>(grainState >> 27) - 16;
      int32_t r = (sine_[ux & 255] + sine_[wxy & 255]) >> 1;
      int32_t g = (sineVy + sine_[((ux + vy) >> 1) & 255]) >> 1;
      int32_t b = (sine_[(wxy * 2 + f) & 255] + sineVy) >> 1;
      if (ballRow) {
        const int32_t dx = x - ballX;
        if (dx * dx + dy * dy < kRadius * kRadius)
          r = g = b = 250;
      }
      p[0] = clamp_[b + grain + 16];
      p[1] = clamp_[g + grain + 16];
      p[2] = clamp_[r + grain + 16];
      p[3] = 0xff;
    }
  }
  return a;
}

}  // namespace rdk::synthetic
