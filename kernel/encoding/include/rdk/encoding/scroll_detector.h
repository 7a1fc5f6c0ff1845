// Scroll detection: a damaged area whose rows are the previous frame's rows shifted vertically
// (a terminal or a text view scrolling) goes as Xpra's `scroll` draw ("copy these rows up by N",
// painted by the client with a copy of what it already shows) plus pictures of the rows that are
// new. Compared on row hashes of the previous frame of the same columns against the current one.
//
// Xpra 3.1.3 (server/window/window_video_source.py, may_use_scrolling / encode_scrolling): the
// draw's coding is "scroll", its data a list of (x, y, w, h, xdelta, ydelta): the rows at
// (x, y, w, h) in the client's picture before this draw move to (x + xdelta, y + ydelta); all
// moves read the picture as it was before the draw. Scrolling is used when at least
// scrolling.min-percent (50) of the rows match, and not when there would be 20 or more pieces.
//
// Pure: hashes in, a plan out; no pixels are kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rdk/encoding/types.h"

namespace rdk::encoding {

/// One entry of the scroll draw's data: (x, y, w, h, xdelta, ydelta).
struct ScrollMove {
  int32_t x = 0, y = 0;
  uint32_t w = 0, h = 0;
  int32_t dx = 0, dy = 0;
  bool operator==(const ScrollMove&) const = default;
};

/// The row hashes of an area of a window: rows[i] is the hash of row area.y + i over the
/// columns [area.x, area.x + area.w).
struct RowHashes {
  Rect area;
  std::vector<uint64_t> rows;
};

struct ScrollSettings {
  uint32_t minPercent = 50;  // of the area's rows must be moved or unchanged (Xpra's default)
  uint32_t maxDistance = 1000;
  uint32_t minSide = 64;   // smaller areas are sent as they are
  size_t maxPieces = 20;   // moves + fresh runs; more is too fragmented (Xpra: 20)
  uint32_t mergeGap = 16;  // fresh runs this close are sent as one picture
  size_t maxBucket = 8;    // a row repeated more often (blank lines) does not vote for a shift
};

struct ScrollPlan {
  int32_t shift = 0;              // the vertical shift found (rows move down when positive)
  std::vector<ScrollMove> moves;  // the scroll draw's data
  std::vector<Rect> fresh;        // runs of rows to send as pictures, top to bottom
  uint32_t movedRows = 0, unchangedRows = 0, freshRows = 0;
  std::string why;
};

/// Hashes |rows| rows of |rowBytes| bytes each, |stride| bytes apart (XXH3 64).
std::vector<uint64_t> hashRows(const uint8_t* pixels, size_t stride, size_t rowBytes,
                               uint32_t rows);

/// A plan when |current| is mostly |previous| shifted vertically (same columns required), with
/// at least one row actually moved; nullopt with the reason in |why| otherwise.
std::optional<ScrollPlan> detectScroll(const RowHashes& previous, const RowHashes& current,
                                       const ScrollSettings& settings = {},
                                       std::string* why = nullptr);

}  // namespace rdk::encoding
