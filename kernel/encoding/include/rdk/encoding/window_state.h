// Per-window history the encoding policy decides from: how often and how much of the window
// changes, when it was resized, what was last sent lossily, decode errors reported by the client
// and losses reported by the transport. Pure bookkeeping, no I/O; the caller passes the clock (µs).
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "rdk/encoding/encode_times.h"
#include "rdk/encoding/types.h"

namespace rdk::encoding {

class WindowEncodingState {
 public:
  explicit WindowEncodingState(const Settings& settings = {}, uint32_t width = 0,
                               uint32_t height = 0, uint64_t nowUs = 0);

  // ---- events -----------------------------------------------------------------------------------
  /// The window now has this size (video streams restart; video waits resizeHoldUs).
  void onResize(uint32_t width, uint32_t height, uint64_t nowUs);
  /// Damage reported by the platform.
  void onDamage(const Rect& region, uint64_t nowUs);
  /// |choice| was encoded and sent for |region|: lossy output schedules a lossless refresh
  /// autoRefreshDelayUs after the last change; a refresh or lossless full-window frame clears it.
  /// The encode's time is awaited (EncodeTimes::started) until onEncodeTime reports it.
  void onEncoded(const Choice& choice, const Rect& region, uint64_t nowUs);
  /// The client's damage-sequence decode_time: > 0 decoded in that many µs, 0 skipped, < 0 error.
  void onAck(int64_t decodeTimeUs, uint64_t nowUs);
  /// A decode error: the next video frame is a key frame, and a full refresh follows after
  /// min(1000, 250 + 100 * errors) ms (Xpra 3.1.3).
  void onDecodeError(uint64_t nowUs);
  /// A droppable draw packet of this window was lost: video needs a key frame.
  void onLost(uint64_t nowUs);
  /// An encode of this window's lane finished: |encoding| took |encodeUs| for |pixels|.
  void onEncodeTime(const std::string& encoding, uint64_t pixels, uint64_t encodeUs,
                    uint64_t nowUs) {
    encodeTimes_.record(encoding, pixels, encodeUs, nowUs);
  }
  /// An encode of this window's lane ended with no time of its own: another session's encode of
  /// the same picture was reused. Its trial is over (clients sharing encodes keep choosing alike).
  void onEncodeShared(const std::string& encoding) { encodeTimes_.endedWithoutTime(encoding); }
  /// The client decoded a draw of |encoding| of |pixels| in |decodeUs| (its ack).
  void onDecodeTime(const std::string& encoding, uint64_t pixels, uint64_t decodeUs,
                    uint64_t nowUs) {
    encodeTimes_.recordDecode(encoding, pixels, decodeUs, nowUs);
  }

  // ---- queries ----------------------------------------------------------------------------------
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  uint64_t windowPixels() const { return static_cast<uint64_t>(width_) * height_; }
  /// Damage events per second over the last second.
  double damageFps(uint64_t nowUs) const;
  /// Damaged pixels per second over the last second, as a fraction of the window area.
  double areaFractionPerSecond(uint64_t nowUs) const;
  /// Frequent, large changes that have lasted at least videoSustainUs (video-like content).
  bool sustainedMotion(uint64_t nowUs) const;
  /// Recent changes are small and scattered (typing, cursor blink): keep them lossless.
  bool textLike(uint64_t nowUs) const;
  uint64_t sinceLastChangeUs(uint64_t nowUs) const;
  bool recentlyResized(uint64_t nowUs) const;
  /// A lossless refresh of the whole window is due now.
  bool refreshDue(uint64_t nowUs) const;
  /// When the pending refresh becomes due, 0 when none is pending.
  uint64_t refreshAtUs() const;
  /// What the pending refresh must repaint: the lossy updates' bounding box, the whole window
  /// after a decode error. Damage elsewhere (a clock beside a video) does not delay it.
  Rect refreshRegion() const;
  /// The next video frame must be a key frame (after a decode error, a loss or a resize).
  bool keyframeWanted() const { return keyframeWanted_; }
  uint32_t decodeErrors() const { return decodeErrors_; }
  /// Mean client decode time over recent acks, 0 when unknown.
  uint64_t meanDecodeUs() const { return meanDecodeUs_; }
  uint64_t lastLossUs() const { return lastLossUs_; }
  /// What this window's encodes really took, per encoding (the Selector's measured cost).
  const EncodeTimes& encodeTimes() const { return encodeTimes_; }

 private:
  struct DamageSample {
    uint64_t timeUs;
    uint64_t pixels;
  };
  void expire(uint64_t nowUs) const;

  Settings settings_;
  uint32_t width_;
  uint32_t height_;
  uint64_t resizedUs_;
  mutable std::deque<DamageSample> recent_;  // last second of damage, bounded
  uint64_t lastDamageUs_ = 0;
  bool everDamaged_ = false;
  uint64_t motionSinceUs_ = 0;
  bool lossyPending_ = false;
  Rect lossyArea_;               // bounding box of the lossy updates since the last refresh
  uint64_t lossyTouchedUs_ = 0;  // last lossy update or damage inside lossyArea_
  uint64_t errorRefreshAtUs_ = 0;
  bool keyframeWanted_ = true;  // a new stream starts with a key frame anyway
  uint32_t decodeErrors_ = 0;
  uint64_t meanDecodeUs_ = 0;
  uint64_t lastLossUs_ = 0;
  EncodeTimes encodeTimes_;
};

}  // namespace rdk::encoding
