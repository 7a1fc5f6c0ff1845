// A tiny fixed-width bitmap font so the synthetic desktop can draw text without any font library.
#pragma once

#include <cstdint>

namespace rdk::synthetic {

class BitmapFont {
 public:
  static constexpr int kGlyphWidth = 5;   // ink columns; bit 4 of a row is the leftmost
  static constexpr int kGlyphRows = 8;    // 7 rows above the baseline, 1 descender row
  static constexpr int kCellWidth = 6;    // advance per character
  static constexpr int kCellHeight = 10;  // advance per line

  /// The kGlyphRows bit rows of |ch|; a hollow box for anything outside printable ASCII.
  static const uint8_t* rows(char ch);
};

}  // namespace rdk::synthetic
