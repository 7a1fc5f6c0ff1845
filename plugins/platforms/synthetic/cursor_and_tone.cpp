#include "cursor_and_tone.h"

#include <cmath>

namespace rdk::synthetic {
namespace {

// clang-format off
constexpr const char* kArrow[] = {
    "X...........", "XX..........", "X#X.........", "X##X........", "X###X.......",
    "X####X......", "X#####X.....", "X######X....", "X#######X...", "X########X..",
    "X#####XXXXX.", "X##X##X.....", "X#X.X##X....", "XX..X##X....", "X....X##X...",
    ".....X##X...", "......XX....",
};
// clang-format on

CursorShape fromArt(const char* name, const char* const* art, int32_t rows, int32_t hotX,
                    int32_t hotY) {
  CursorShape s;
  s.name = name;
  s.height = rows;
  s.width = static_cast<int32_t>(std::char_traits<char>::length(art[0]));
  s.hotX = hotX;
  s.hotY = hotY;
  s.bgra.assign(static_cast<size_t>(s.width) * s.height * 4, 0);
  for (int32_t y = 0; y < s.height; ++y) {
    for (int32_t x = 0; x < s.width; ++x) {
      uint8_t* p = &s.bgra[(static_cast<size_t>(y) * s.width + x) * 4];
      const char c = art[y][x];
      if (c == '.')
        continue;
      const uint8_t v = c == '#' ? 0xff : 0x00;  // '#' white fill, 'X' black outline
      p[0] = p[1] = p[2] = v;
      p[3] = 0xff;
    }
  }
  return s;
}

CursorShape makeCrosshair() {
  CursorShape s;
  s.name = "crosshair";
  s.width = s.height = 17;
  s.hotX = s.hotY = 8;
  s.bgra.assign(17 * 17 * 4, 0);
  for (int32_t i = 0; i < 17; ++i) {
    for (int32_t t = -1; t <= 1; ++t) {
      const bool core = t == 0;
      for (auto [x, y] : {std::pair{i, 8 + t}, std::pair{8 + t, i}}) {
        uint8_t* p = &s.bgra[(static_cast<size_t>(y) * 17 + x) * 4];
        if (core) {
          p[0] = 0x00, p[1] = 0x00, p[2] = 0xff, p[3] = 0xff;  // red core
        } else if (p[3] == 0) {
          p[0] = p[1] = p[2] = 0xff, p[3] = 0xff;  // white rim
        }
      }
    }
  }
  return s;
}

void putLe(std::vector<uint8_t>& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

const CursorShape& arrowCursor() {
  static const CursorShape s = fromArt("left_ptr", kArrow, 17, 0, 0);
  return s;
}

const CursorShape& crosshairCursor() {
  static const CursorShape s = makeCrosshair();
  return s;
}

TestTone::TestTone() {
  const uint32_t samples = kToneRate * kToneChunkMs / 1000;
  const uint32_t dataBytes = samples * 2;
  wav_.reserve(44 + dataBytes);
  wav_.insert(wav_.end(), {'R', 'I', 'F', 'F'});
  putLe(wav_, 36 + dataBytes, 4);
  wav_.insert(wav_.end(), {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
  putLe(wav_, 16, 4);             // fmt chunk size
  putLe(wav_, 1, 2);              // PCM
  putLe(wav_, 1, 2);              // mono
  putLe(wav_, kToneRate, 4);      // sample rate
  putLe(wav_, kToneRate * 2, 4);  // byte rate
  putLe(wav_, 2, 2);              // block align
  putLe(wav_, 16, 2);             // bits per sample
  wav_.insert(wav_.end(), {'d', 'a', 't', 'a'});
  putLe(wav_, dataBytes, 4);
  for (uint32_t i = 0; i < samples; ++i) {
    const double v = 0.25 * std::sin(2.0 * M_PI * kFrequency * i / kToneRate);
    putLe(wav_, static_cast<uint16_t>(static_cast<int16_t>(std::lround(v * 32767.0))), 2);
  }
}

}  // namespace rdk::synthetic
