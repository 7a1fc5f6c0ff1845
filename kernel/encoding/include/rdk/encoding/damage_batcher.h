// Damage batching and back-pressure, per window:
//  - rectangles are merged (overlapping ones joined; beyond maxRects the nearest ones join, so
//    distant areas stay separate pictures);
//  - a window's batch is released no sooner than batchDelayUs after its first damage and no more
//    often than maxFps; a lone damage on a quiet window (see BatchSettings::loneDamageAtOnce)
//    goes out at once instead, as Xpra 3.1.3 sends a change without batching when nothing
//    suggests more is coming (a keystroke's echo waited the whole batch delay);
//  - while the client's damage-sequence acks lag (more than maxPendingPackets unacknowledged, or
//  the
//    oldest older than maxAckLagUs) the batch is held and keeps merging: intermediate frames are
//    skipped, the next frame carries the latest content.
// Single-threaded; the caller passes the clock (µs).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "rdk/encoding/types.h"

namespace rdk::encoding {

struct BatchSettings {
  uint32_t maxFps = 30;
  uint64_t batchDelayUs = 5'000;
  // A window's first damage goes out without the batch delay when the window is quiet: its
  // previous damage is at least batchDelayUs old, none of its draws awaits an ack, and fewer
  // than loneDamageMaxPerSecond batches started in the last second. Otherwise (sustained
  // damage, a client behind) the delay batches as before. Xpra 3.1.3's must_batch() rules:
  // min_delay 5 ms, packets backlog, max_events 50 per time_unit of 1 s.
  bool loneDamageAtOnce = true;
  uint32_t loneDamageMaxPerSecond = 50;
  size_t maxRects = 16;
  uint32_t maxPendingPackets = 4;
  uint64_t maxAckLagUs = 500'000;
  // An ack this late is given up as lost so a silent client cannot freeze the window forever.
  uint64_t ackGiveUpUs = 5'000'000;
};

struct Batch {
  uint64_t wid = 0;
  std::vector<Rect> rects;
  uint64_t firstDamageUs = 0;
};

class DamageBatcher {
 public:
  explicit DamageBatcher(BatchSettings settings = {});

  void damage(uint64_t wid, const Rect& region, uint64_t nowUs);
  void removeWindow(uint64_t wid);
  /// The batches that may be encoded now (taken out of the batcher).
  std::vector<Batch> due(uint64_t nowUs);
  /// When due() may next return something, nullopt when nothing is pending.
  std::optional<uint64_t> nextWakeUs(uint64_t nowUs) const;

  /// A draw packet |seq| of |wid| went out / was acknowledged by damage-sequence / was lost.
  void onSent(uint64_t wid, uint64_t seq, uint64_t nowUs);
  void onAck(uint64_t wid, uint64_t seq, uint64_t nowUs);
  void onLost(uint64_t wid, uint64_t seq);

  /// Acks of |wid| lag beyond the limits: its frames are being skipped.
  bool backPressured(uint64_t wid, uint64_t nowUs) const;
  /// How many frames of |wid| were folded into a later one because of back-pressure.
  uint64_t skippedFrames(uint64_t wid) const;
  size_t pendingPackets(uint64_t wid) const;

 private:
  struct Window {
    std::vector<Rect> rects;
    uint64_t firstDamageUs = 0;
    uint64_t lastDamageUs = 0;
    bool damagedBefore = false;
    bool atOnce = false;                 // this batch started on a quiet window: no batch delay
    std::deque<uint64_t> batchStartsUs;  // the last second's, at most loneDamageMaxPerSecond + 1
    uint64_t lastReleaseUs = 0;
    bool released = false;
    bool heldByBackPressure = false;
    std::map<uint64_t, uint64_t> inFlight;  // seq -> sent time
    uint64_t skipped = 0;
  };
  bool quiet(Window& w, uint64_t nowUs) const;
  void expireAcks(Window& w, uint64_t nowUs) const;
  bool lagging(const Window& w, uint64_t nowUs) const;
  uint64_t earliestRelease(const Window& w) const;

  BatchSettings settings_;
  std::map<uint64_t, Window> windows_;
};

/// Adds |r| to |rects|, joining overlapping or touching rectangles; beyond |maxRects| the pair
/// whose bounding box adds the fewest pixels joins, until |maxRects| are left. Exposed for tests.
void mergeRect(std::vector<Rect>& rects, const Rect& r, size_t maxRects);
Rect boundingBox(const Rect& a, const Rect& b);

}  // namespace rdk::encoding
