// Video-region detection: from a window's recent damage, the one sub-rectangle with sustained
// motion (a video playing, an animation), so that only it is encoded as video and the rest of the
// window stays pictures. Our own algorithm; Xpra 3.1.3's video subregion is the reference for
// what users expect (one region per window, kept stable while it plays, refreshed losslessly
// shortly after it stops).
//
// How: the window is cut into cells (16 px, coarser for huge windows). Every damage frame (one
// released batch) marks the cells it touches once; a cell touched in at least hotFrames of the
// frames of the last second is "hot". The hot cells are grouped (cells up to one cell apart
// join), the group with the most hits is the candidate when it holds most of all hot hits, is big
// enough and was touched by enough frames over a long enough span. Its bounds are the exact
// damage inside the group's cells (plus two cells of margin), snapped to even sizes for the video
// encoders. A candidate becomes the region once its bounds have held (within |tolerance|) for
// stableUs. A region is kept while candidates stay within |tolerance| px of it on every edge or
// inside it (the encoder keeps its size), and ends settleUs after the last frame touching it.
//
// Single-threaded; no clock inside: the caller passes the time (µs). Memory is bounded by the
// grid (<= maxCellsPerSide^2 cells) and the history (<= maxFrames frames of <= maxRectsPerFrame).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "rdk/encoding/types.h"

namespace rdk::encoding {

struct RegionSettings {
  uint32_t cell = 16;              // grid cell side (px), grown for windows wider than 256 cells
  uint32_t maxCellsPerSide = 256;  // bounds the grid
  uint64_t historyUs = 1'000'000;  // hits are counted over this long
  uint32_t hotFrames = 3;          // a cell is moving when this many frames touched it
  double minFps = 8.0;             // frames touching the region per second of history
  uint64_t sustainUs = 250'000;    // ... spread over at least this long
  uint64_t minPixels = 128 * 128;  // smaller regions are not worth a video stream
  uint32_t minSide = 64;
  double minShare = 0.5;         // the group holds at least this share of all hot hits
  uint64_t settleUs = 300'000;   // no frame touched the region this long: it ends
  uint32_t tolerance = 32;       // px per edge within which the region is kept as it is
  uint64_t stableUs = 200'000;   // a new region's bounds must hold this long first
  size_t maxFrames = 128;        // history bound (a damage flood expires frames early)
  size_t maxRectsPerFrame = 64;  // beyond this a frame counts as its bounding box
};

/// What happened to the region on the last update(), for the session and `rdkernel info`.
enum class RegionEvent { kNone, kStarted, kMoved, kEnded };

class VideoRegionDetector {
 public:
  VideoRegionDetector() : VideoRegionDetector(RegionSettings{}, 0, 0) {}
  VideoRegionDetector(RegionSettings settings, uint32_t width, uint32_t height);

  /// The window has a new size: history and region are dropped.
  void resize(uint32_t width, uint32_t height);
  /// One frame of damage (the rectangles of one released batch, window coordinates).
  void onFrame(const std::vector<Rect>& rects, uint64_t nowUs);
  /// Re-evaluates the region at |nowUs|; returns what changed. After kEnded, endedRegion() is
  /// the area that was video (to refresh losslessly); after kMoved, previousRegion() too.
  RegionEvent update(uint64_t nowUs);

  const std::optional<Rect>& region() const { return region_; }
  /// The region before the last kEnded / kMoved.
  const Rect& previousRegion() const { return previous_; }
  /// Why there is (or is not) a region, for logs and `rdkernel info`.
  const std::string& why() const { return why_; }
  /// Frames in the history that touched |r| (exposed for tests and `info`).
  size_t framesTouching(const Rect& r) const;
  uint32_t cellSize() const { return cell_; }

 private:
  struct Frame {
    uint64_t timeUs;
    uint64_t serial;
    std::vector<Rect> rects;
  };
  void mark(const Frame& f, int delta, std::vector<uint64_t>& stamp);
  void expire(uint64_t nowUs);
  std::optional<Rect> candidate(uint64_t nowUs, std::string* why);
  Rect exactBounds(uint32_t cx0, uint32_t cy0, uint32_t cx1, uint32_t cy1) const;
  Rect snapEven(const Rect& r) const;

  RegionSettings settings_;
  uint32_t width_ = 0, height_ = 0;
  uint32_t cell_ = 16, cols_ = 0, rows_ = 0;
  std::vector<uint16_t> hits_;         // per cell: frames of the history that touched it
  std::vector<uint64_t> addStamp_;     // per cell: serial of the last frame added (dedupe)
  std::vector<uint64_t> removeStamp_;  // per cell: serial of the last frame expired
  std::deque<Frame> frames_;
  uint64_t nextSerial_ = 1;
  std::optional<Rect> region_;
  std::optional<Rect> pending_;  // a candidate waiting to hold still for stableUs
  uint64_t pendingSinceUs_ = 0;
  Rect previous_;
  std::string why_ = "no damage yet";
};

/// |a| ∩ |b|, empty when they do not overlap.
Rect intersect(const Rect& a, const Rect& b);
/// The parts of |r| outside |hole| (at most four rectangles: above, below, left, right).
std::vector<Rect> subtract(const Rect& r, const Rect& hole);

}  // namespace rdk::encoding
