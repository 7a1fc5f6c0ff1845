#include "rdk/encoding/video_region.h"

#include <algorithm>
#include <cstdio>

#include "rdk/encoding/damage_batcher.h"

namespace rdk::encoding {

namespace {

uint64_t since(uint64_t nowUs, uint64_t thenUs) {
  return nowUs > thenUs ? nowUs - thenUs : 0;
}

std::string describe(const Rect& r) {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%ux%u at %d,%d", r.w, r.h, r.x, r.y);
  return buf;
}

int64_t right(const Rect& r) {
  return int64_t{r.x} + r.w;
}
int64_t bottom(const Rect& r) {
  return int64_t{r.y} + r.h;
}

}  // namespace

Rect intersect(const Rect& a, const Rect& b) {
  const int64_t x0 = std::max<int64_t>(a.x, b.x), y0 = std::max<int64_t>(a.y, b.y);
  const int64_t x1 = std::min(right(a), right(b)), y1 = std::min(bottom(a), bottom(b));
  if (x1 <= x0 || y1 <= y0)
    return {};
  return Rect{static_cast<int32_t>(x0), static_cast<int32_t>(y0), static_cast<uint32_t>(x1 - x0),
              static_cast<uint32_t>(y1 - y0)};
}

std::vector<Rect> subtract(const Rect& r, const Rect& hole) {
  const Rect in = intersect(r, hole);
  if (in.empty())
    return r.empty() ? std::vector<Rect>{} : std::vector<Rect>{r};
  std::vector<Rect> out;
  if (in.y > r.y)
    out.push_back(Rect{r.x, r.y, r.w, static_cast<uint32_t>(in.y - r.y)});
  if (bottom(in) < bottom(r))
    out.push_back(Rect{r.x, static_cast<int32_t>(bottom(in)), r.w,
                       static_cast<uint32_t>(bottom(r) - bottom(in))});
  if (in.x > r.x)
    out.push_back(Rect{r.x, in.y, static_cast<uint32_t>(in.x - r.x), in.h});
  if (right(in) < right(r))
    out.push_back(Rect{static_cast<int32_t>(right(in)), in.y,
                       static_cast<uint32_t>(right(r) - right(in)), in.h});
  return out;
}

VideoRegionDetector::VideoRegionDetector(RegionSettings settings, uint32_t width, uint32_t height)
    : settings_(settings) {
  resize(width, height);
}

void VideoRegionDetector::resize(uint32_t width, uint32_t height) {
  width_ = width;
  height_ = height;
  const uint32_t side = std::max(width, height);
  const uint32_t maxCells = std::max<uint32_t>(1, settings_.maxCellsPerSide);
  cell_ = std::max<uint32_t>({1, settings_.cell, (side + maxCells - 1) / maxCells});
  cols_ = (width + cell_ - 1) / cell_;
  rows_ = (height + cell_ - 1) / cell_;
  const size_t cells = size_t{cols_} * rows_;
  hits_.assign(cells, 0);
  addStamp_.assign(cells, 0);
  removeStamp_.assign(cells, 0);
  frames_.clear();
  region_.reset();
  pending_.reset();
  why_ = "no damage yet";
}

void VideoRegionDetector::mark(const Frame& f, int delta, std::vector<uint64_t>& stamp) {
  // Each cell counts a frame once, however many of its rectangles touch it.
  for (const Rect& r : f.rects) {
    const uint32_t cx0 = static_cast<uint32_t>(r.x) / cell_;
    const uint32_t cy0 = static_cast<uint32_t>(r.y) / cell_;
    const uint32_t cx1 = static_cast<uint32_t>((right(r) + cell_ - 1) / cell_);
    const uint32_t cy1 = static_cast<uint32_t>((bottom(r) + cell_ - 1) / cell_);
    for (uint32_t cy = cy0; cy < cy1 && cy < rows_; ++cy) {
      for (uint32_t cx = cx0; cx < cx1 && cx < cols_; ++cx) {
        const size_t i = size_t{cy} * cols_ + cx;
        if (stamp[i] == f.serial)
          continue;
        stamp[i] = f.serial;
        if (delta > 0)
          hits_[i] = static_cast<uint16_t>(std::min<int>(UINT16_MAX, hits_[i] + 1));
        else if (hits_[i] > 0)
          --hits_[i];
      }
    }
  }
}

void VideoRegionDetector::expire(uint64_t nowUs) {
  while (!frames_.empty() && (since(nowUs, frames_.front().timeUs) > settings_.historyUs ||
                              frames_.size() > settings_.maxFrames)) {
    mark(frames_.front(), -1, removeStamp_);
    frames_.pop_front();
  }
}

void VideoRegionDetector::onFrame(const std::vector<Rect>& rects, uint64_t nowUs) {
  if (cols_ == 0 || rows_ == 0)
    return;
  const Rect window{0, 0, width_, height_};
  Frame f{nowUs, nextSerial_++, {}};
  for (const Rect& r : rects) {
    const Rect c = intersect(r, window);
    if (!c.empty())
      f.rects.push_back(c);
  }
  if (f.rects.empty())
    return;
  if (f.rects.size() > settings_.maxRectsPerFrame) {
    Rect box = f.rects.front();
    for (const Rect& r : f.rects)
      box = boundingBox(box, r);
    f.rects.assign(1, box);
  }
  mark(f, +1, addStamp_);
  frames_.push_back(std::move(f));
  expire(nowUs);
}

size_t VideoRegionDetector::framesTouching(const Rect& r) const {
  size_t n = 0;
  for (const Frame& f : frames_) {
    for (const Rect& d : f.rects) {
      if (!intersect(d, r).empty()) {
        ++n;
        break;
      }
    }
  }
  return n;
}

Rect VideoRegionDetector::exactBounds(uint32_t cx0, uint32_t cy0, uint32_t cx1,
                                      uint32_t cy1) const {
  // The damage itself inside the group's cells: exact edges instead of cell multiples.
  const Rect cells =
      intersect(Rect{static_cast<int32_t>(cx0 * cell_), static_cast<int32_t>(cy0 * cell_),
                     (cx1 - cx0) * cell_, (cy1 - cy0) * cell_},
                Rect{0, 0, width_, height_});
  std::optional<Rect> box;
  for (const Frame& f : frames_) {
    for (const Rect& d : f.rects) {
      const Rect in = intersect(d, cells);
      if (!in.empty())
        box = box ? boundingBox(*box, in) : in;
    }
  }
  return box.value_or(cells);
}

Rect VideoRegionDetector::snapEven(const Rect& r) const {
  // Video encoders subsample chroma 2x2: even origin and size, within the window.
  int64_t x0 = r.x & ~int64_t{1}, y0 = r.y & ~int64_t{1};
  int64_t x1 = std::min<int64_t>((right(r) + 1) & ~int64_t{1}, width_ & ~uint32_t{1});
  int64_t y1 = std::min<int64_t>((bottom(r) + 1) & ~int64_t{1}, height_ & ~uint32_t{1});
  if (x1 <= x0 || y1 <= y0)
    return r;
  return Rect{static_cast<int32_t>(x0), static_cast<int32_t>(y0), static_cast<uint32_t>(x1 - x0),
              static_cast<uint32_t>(y1 - y0)};
}

std::optional<Rect> VideoRegionDetector::candidate(uint64_t nowUs, std::string* why) {
  const size_t cells = hits_.size();
  std::vector<uint32_t> group(cells, 0);  // 0 = not hot / not grouped yet
  uint64_t totalHot = 0;
  for (size_t i = 0; i < cells; ++i)
    totalHot += hits_[i] >= settings_.hotFrames ? hits_[i] : 0;
  if (totalHot == 0) {
    *why = "no sustained motion";
    return std::nullopt;
  }
  // Group hot cells up to one cell apart (flood fill).
  struct Group {
    uint64_t weight = 0;
    uint32_t cx0 = 0, cy0 = 0, cx1 = 0, cy1 = 0;
  };
  std::vector<Group> groups;
  uint32_t nextGroup = 1;
  std::vector<size_t> stack;
  for (size_t start = 0; start < cells; ++start) {
    if (hits_[start] < settings_.hotFrames || group[start] != 0)
      continue;
    const uint32_t id = nextGroup++;
    Group g{0, cols_, rows_, 0, 0};
    stack.assign(1, start);
    group[start] = id;
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      const uint32_t cx = static_cast<uint32_t>(i % cols_), cy = static_cast<uint32_t>(i / cols_);
      g.weight += hits_[i];
      g.cx0 = std::min(g.cx0, cx);
      g.cy0 = std::min(g.cy0, cy);
      g.cx1 = std::max(g.cx1, cx + 1);
      g.cy1 = std::max(g.cy1, cy + 1);
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          const int64_t nx = int64_t{cx} + dx, ny = int64_t{cy} + dy;
          if (nx < 0 || ny < 0 || nx >= cols_ || ny >= rows_)
            continue;
          const size_t n = static_cast<size_t>(ny) * cols_ + static_cast<size_t>(nx);
          if (hits_[n] >= settings_.hotFrames && group[n] == 0) {
            group[n] = id;
            stack.push_back(n);
          }
        }
      }
    }
    groups.push_back(g);
  }
  // Only groups still moving count (a stopped video's cells stay hot for a while in the
  // history); of those, the one with the most hits. The heaviest few are looked at.
  std::sort(groups.begin(), groups.end(),
            [](const Group& a, const Group& b) { return a.weight > b.weight; });
  if (groups.size() > 8)
    groups.resize(8);
  struct Seen {
    size_t frames = 0;
    uint64_t first = 0, last = 0;
  };
  const auto touches = [&](const Rect& bounds) {
    Seen seen;
    for (const Frame& f : frames_) {
      for (const Rect& d : f.rects) {
        if (!intersect(d, bounds).empty()) {
          if (seen.frames++ == 0)
            seen.first = f.timeUs;
          seen.last = f.timeUs;
          break;
        }
      }
    }
    return seen;
  };
  uint64_t movingWeight = 0;
  std::optional<Rect> bestBounds;
  Seen bestSeen;
  uint64_t bestWeight = 0;
  for (const Group& g : groups) {
    // Two cells of margin: the edges of a moving object's path are touched less often than
    // its middle and may not be hot yet; the damage there still bounds the region.
    const Rect bounds =
        snapEven(exactBounds(g.cx0 > 2 ? g.cx0 - 2 : 0, g.cy0 > 2 ? g.cy0 - 2 : 0,
                             std::min(cols_, g.cx1 + 2), std::min(rows_, g.cy1 + 2)));
    const Seen seen = touches(bounds);
    if (seen.frames == 0 || since(nowUs, seen.last) > settings_.settleUs)
      continue;
    movingWeight += g.weight;
    if (!bestBounds) {
      bestBounds = bounds;
      bestSeen = seen;
      bestWeight = g.weight;
    }
  }
  if (!bestBounds) {
    *why = "motion stopped";
    return std::nullopt;
  }
  const Rect bounds = *bestBounds;
  const double share = static_cast<double>(bestWeight) / static_cast<double>(movingWeight);
  char buf[160];
  if (share < settings_.minShare) {
    std::snprintf(buf, sizeof(buf), "motion scattered: largest moving area %s holds %.0f%%",
                  describe(bounds).c_str(), share * 100);
    *why = buf;
    return std::nullopt;
  }
  if (bounds.pixels() < settings_.minPixels || bounds.w < settings_.minSide ||
      bounds.h < settings_.minSide) {
    *why = "moving area " + describe(bounds) + " too small for video";
    return std::nullopt;
  }
  // Sustained: enough frames touched it, spread over long enough.
  const size_t touching = bestSeen.frames;
  const double seconds = static_cast<double>(settings_.historyUs) / 1e6;
  if (static_cast<double>(touching) < settings_.minFps * seconds) {
    std::snprintf(buf, sizeof(buf), "moving area %s: %zu frames in the last %.1f s",
                  describe(bounds).c_str(), touching, seconds);
    *why = buf;
    return std::nullopt;
  }
  if (since(bestSeen.last, bestSeen.first) < settings_.sustainUs) {
    *why = "moving area " + describe(bounds) + " not sustained yet";
    return std::nullopt;
  }
  std::snprintf(buf, sizeof(buf), "sustained motion: %zu frames in %.1f s, %.0f%% of the motion",
                touching, seconds, share * 100);
  *why = buf;
  return bounds;
}

RegionEvent VideoRegionDetector::update(uint64_t nowUs) {
  expire(nowUs);
  if (region_) {
    // Ends settleUs after the last frame that touched it (its history may still look hot).
    uint64_t lastTouch = 0;
    for (const Frame& f : frames_) {
      for (const Rect& d : f.rects) {
        if (!intersect(d, *region_).empty()) {
          lastTouch = f.timeUs;
          break;
        }
      }
    }
    if (lastTouch == 0 || since(nowUs, lastTouch) > settings_.settleUs) {
      previous_ = *region_;
      region_.reset();
      why_ = "motion stopped in " + describe(previous_);
      return RegionEvent::kEnded;
    }
  }
  std::string why;
  const std::optional<Rect> found = candidate(nowUs, &why);
  if (!found) {
    pending_.reset();
    if (!region_)
      why_ = why;
    return RegionEvent::kNone;  // a region is kept until it settles
  }
  const auto near = [&](const Rect& a, const Rect& b) {
    const auto close = [&](int64_t u, int64_t v) {
      return (u > v ? u - v : v - u) <= int64_t{settings_.tolerance};
    };
    return close(a.x, b.x) && close(a.y, b.y) && close(right(a), right(b)) &&
           close(bottom(a), bottom(b));
  };
  if (region_) {
    if (near(*found, *region_)) {
      pending_.reset();
      return RegionEvent::kNone;
    }
    // A candidate inside the region (an object that has not swept all of its area in the last
    // second) keeps it too, unless it shrank to a small part of it.
    const int64_t t = settings_.tolerance;
    const bool inside = found->x + t >= region_->x && found->y + t >= region_->y &&
                        right(*found) <= right(*region_) + t &&
                        bottom(*found) <= bottom(*region_) + t;
    if (inside && found->pixels() * 4 >= region_->pixels()) {
      pending_.reset();
      return RegionEvent::kNone;
    }
  }
  // A new or changed region is taken once its bounds have held still for stableUs: a moving
  // object first shows as the part of its path swept so far, and every change of size costs the
  // client a new video stream.
  if (!pending_ || !near(*found, *pending_)) {
    pending_ = found;  // the anchor: slow growth must not creep past the tolerance unnoticed
    pendingSinceUs_ = nowUs;
  }
  if (since(nowUs, pendingSinceUs_) < settings_.stableUs) {
    if (!region_)
      why_ = "moving area " + describe(*found) + " settling: " + why;
    return RegionEvent::kNone;
  }
  const bool had = region_.has_value();
  if (had)
    previous_ = *region_;
  region_ = found;
  pending_.reset();
  why_ = "video region " + describe(*found) + ": " + why;
  return had ? RegionEvent::kMoved : RegionEvent::kStarted;
}

}  // namespace rdk::encoding
