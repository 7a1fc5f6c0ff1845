#include "rdk/encoding/damage_batcher.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace rdk::encoding {

namespace {
bool touches(const Rect& a, const Rect& b) {
  const int64_t ax2 = static_cast<int64_t>(a.x) + a.w, ay2 = static_cast<int64_t>(a.y) + a.h;
  const int64_t bx2 = static_cast<int64_t>(b.x) + b.w, by2 = static_cast<int64_t>(b.y) + b.h;
  return a.x <= bx2 && b.x <= ax2 && a.y <= by2 && b.y <= ay2;
}
}  // namespace

Rect boundingBox(const Rect& a, const Rect& b) {
  if (a.empty())
    return b;
  if (b.empty())
    return a;
  const int64_t x1 = std::min(a.x, b.x), y1 = std::min(a.y, b.y);
  const int64_t x2 =
      std::max<int64_t>(static_cast<int64_t>(a.x) + a.w, static_cast<int64_t>(b.x) + b.w);
  const int64_t y2 =
      std::max<int64_t>(static_cast<int64_t>(a.y) + a.h, static_cast<int64_t>(b.y) + b.h);
  return Rect{static_cast<int32_t>(x1), static_cast<int32_t>(y1), static_cast<uint32_t>(x2 - x1),
              static_cast<uint32_t>(y2 - y1)};
}

namespace {
// Joins |r| with every rectangle of |rects| it touches (repeatedly: the joined box can touch
// more), then adds it.
void join(std::vector<Rect>& rects, const Rect& r) {
  Rect joined = r;
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto it = rects.begin(); it != rects.end(); ++it) {
      if (touches(*it, joined)) {
        joined = boundingBox(*it, joined);
        rects.erase(it);
        changed = true;
        break;
      }
    }
  }
  rects.push_back(joined);
}
}  // namespace

void mergeRect(std::vector<Rect>& rects, const Rect& r, size_t maxRects) {
  if (r.empty())
    return;
  join(rects, r);
  // Too many: join the two whose bounding box adds the fewest pixels, until few enough. Distant
  // areas stay apart (a clock's hands beside a spinning ico: one bounding box of both was a
  // 1676x634 picture every second where 0.35 Mpx had changed, and it held the window's lane).
  while (rects.size() > std::max<size_t>(maxRects, 1)) {
    size_t bi = 0, bj = 1;
    int64_t bestWaste = INT64_MAX;
    for (size_t i = 0; i < rects.size(); ++i) {
      for (size_t j = i + 1; j < rects.size(); ++j) {
        const int64_t waste = static_cast<int64_t>(boundingBox(rects[i], rects[j]).pixels()) -
                              static_cast<int64_t>(rects[i].pixels() + rects[j].pixels());
        if (waste < bestWaste) {
          bestWaste = waste;
          bi = i;
          bj = j;
        }
      }
    }
    const Rect merged = boundingBox(rects[bi], rects[bj]);
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bj));
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bi));
    join(rects, merged);
  }
}

DamageBatcher::DamageBatcher(BatchSettings settings) : settings_(settings) {}

void DamageBatcher::damage(uint64_t wid, const Rect& region, uint64_t nowUs) {
  if (region.empty())
    return;
  Window& w = windows_[wid];
  if (w.rects.empty()) {
    w.firstDamageUs = nowUs;
    w.atOnce = settings_.loneDamageAtOnce && quiet(w, nowUs);
    w.batchStartsUs.push_back(nowUs);
    if (w.batchStartsUs.size() > size_t{settings_.loneDamageMaxPerSecond} + 1)
      w.batchStartsUs.pop_front();
  } else if (w.heldByBackPressure) {
    ++w.skipped;  // this frame's content will only be seen as part of a later one
  }
  w.lastDamageUs = nowUs;
  w.damagedBefore = true;
  mergeRect(w.rects, region, settings_.maxRects);
}

bool DamageBatcher::quiet(Window& w, uint64_t nowUs) const {
  // More damage right behind the last: the application is drawing in steps (or animating), so
  // waiting batchDelayUs gathers them into one draw.
  if (w.damagedBefore && nowUs < w.lastDamageUs + settings_.batchDelayUs)
    return false;
  // A draw not yet acknowledged: the client (or the link) is busy; batch rather than queue.
  expireAcks(w, nowUs);
  if (!w.inFlight.empty())
    return false;
  while (!w.batchStartsUs.empty() && w.batchStartsUs.front() + 1'000'000 <= nowUs)
    w.batchStartsUs.pop_front();
  return w.batchStartsUs.size() < settings_.loneDamageMaxPerSecond;
}

void DamageBatcher::removeWindow(uint64_t wid) {
  windows_.erase(wid);
}

void DamageBatcher::expireAcks(Window& w, uint64_t nowUs) const {
  for (auto it = w.inFlight.begin(); it != w.inFlight.end();) {
    if (it->second + settings_.ackGiveUpUs < nowUs)
      it = w.inFlight.erase(it);
    else
      ++it;
  }
}

bool DamageBatcher::lagging(const Window& w, uint64_t nowUs) const {
  if (w.inFlight.size() > settings_.maxPendingPackets)
    return true;
  for (const auto& [seq, sentUs] : w.inFlight) {
    (void)seq;
    if (sentUs + settings_.maxAckLagUs < nowUs)
      return true;
  }
  return false;
}

uint64_t DamageBatcher::earliestRelease(const Window& w) const {
  uint64_t at = w.firstDamageUs + (w.atOnce ? 0 : settings_.batchDelayUs);
  if (w.released && settings_.maxFps > 0)
    at = std::max(at, w.lastReleaseUs + 1'000'000 / settings_.maxFps);
  return at;
}

std::vector<Batch> DamageBatcher::due(uint64_t nowUs) {
  std::vector<Batch> out;
  for (auto& [wid, w] : windows_) {
    if (w.rects.empty())
      continue;
    expireAcks(w, nowUs);
    if (nowUs < earliestRelease(w))
      continue;
    if (lagging(w, nowUs)) {
      w.heldByBackPressure = true;
      continue;
    }
    w.heldByBackPressure = false;
    out.push_back(Batch{wid, std::move(w.rects), w.firstDamageUs});
    w.rects.clear();
    w.released = true;
    w.lastReleaseUs = nowUs;
  }
  return out;
}

std::optional<uint64_t> DamageBatcher::nextWakeUs(uint64_t nowUs) const {
  std::optional<uint64_t> next;
  for (const auto& [wid, w] : windows_) {
    (void)wid;
    if (w.rects.empty())
      continue;
    uint64_t at = earliestRelease(w);
    // Held by back-pressure: look again when the oldest ack becomes overdue or is given up.
    if (lagging(w, nowUs) && !w.inFlight.empty()) {
      uint64_t oldest = UINT64_MAX;
      for (const auto& [seq, sentUs] : w.inFlight) {
        (void)seq;
        oldest = std::min(oldest, sentUs);
      }
      at = std::max(at, oldest + settings_.ackGiveUpUs + 1);
    }
    at = std::max(at, nowUs);
    if (!next || at < *next)
      next = at;
  }
  return next;
}

void DamageBatcher::onSent(uint64_t wid, uint64_t seq, uint64_t nowUs) {
  windows_[wid].inFlight[seq] = nowUs;
}

void DamageBatcher::onAck(uint64_t wid, uint64_t seq, uint64_t nowUs) {
  (void)nowUs;
  auto it = windows_.find(wid);
  if (it == windows_.end())
    return;
  // damage-sequence acks are cumulative in effect: anything older was decoded or dropped.
  auto& inFlight = it->second.inFlight;
  inFlight.erase(inFlight.begin(), inFlight.upper_bound(seq));
}

void DamageBatcher::onLost(uint64_t wid, uint64_t seq) {
  auto it = windows_.find(wid);
  if (it != windows_.end())
    it->second.inFlight.erase(seq);
}

bool DamageBatcher::backPressured(uint64_t wid, uint64_t nowUs) const {
  auto it = windows_.find(wid);
  return it != windows_.end() && lagging(it->second, nowUs);
}

uint64_t DamageBatcher::skippedFrames(uint64_t wid) const {
  auto it = windows_.find(wid);
  return it == windows_.end() ? 0 : it->second.skipped;
}

size_t DamageBatcher::pendingPackets(uint64_t wid) const {
  auto it = windows_.find(wid);
  return it == windows_.end() ? 0 : it->second.inFlight.size();
}

}  // namespace rdk::encoding
