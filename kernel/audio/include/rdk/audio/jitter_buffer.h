// The client's jitter buffer for Opus frames: packets arrive out of order, late or not at all
// (droppable over UDP); playout is steady. No clock inside: every call takes the time, so tests
// drive it with simulated time.
//
// The first packet after idle anchors the playout: frame i plays at
// arrival + targetDelay + (i - first) * frameMs. A frame due without its packet is recovered from
// the next packet's FEC when that one is there, else concealed (PLC). Packets for frames already
// played are dropped as late. After maxConcealedFrames missing frames in a row with nothing
// queued the stream is taken as paused and the next packet anchors again. Memory is bounded by
// maxQueuedFrames. A packet due more than target + slack after its arrival (a sender clock
// faster than the player's) makes the buffer skip one frame.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace rdk::audio {

struct JitterConfig {
  uint32_t frameMs = 20;
  uint32_t targetDelayMs = 60;
  uint32_t maxQueuedFrames = 100;
  uint32_t maxConcealedFrames = 10;
  uint32_t slackFrames = 4;  // lead beyond the target before a frame is skipped
};

struct JitterStats {
  uint64_t pushed = 0;
  uint64_t played = 0;
  uint64_t recovered = 0;  // from the next packet's FEC
  uint64_t concealed = 0;
  uint64_t late = 0;
  uint64_t duplicates = 0;
  uint64_t skipped = 0;              // dropped to bring the delay back to the target
  uint64_t anchors = 0;              // playout (re)started
  uint32_t longestConcealedRun = 0;  // frames in a row with neither packet nor FEC
};

class JitterBuffer {
 public:
  enum class Action { Play, Recover, Conceal };
  struct Frame {
    Action action = Action::Conceal;
    uint64_t index = 0;
    std::string packet;  // Play: this frame's packet; Recover: the next frame's (its FEC)
  };

  explicit JitterBuffer(JitterConfig config = {});
  /// False when the packet is dropped: late (its frame was played), a duplicate, or empty.
  bool push(uint64_t index, std::string packet, uint64_t nowMs);
  /// The next frame due at |nowMs|, if one is; call until it returns nothing.
  std::optional<Frame> pop(uint64_t nowMs);
  /// Forget everything (a new stream): the next packet anchors.
  void reset();
  bool playing() const { return anchored_; }
  size_t queued() const { return queue_.size(); }
  const JitterStats& stats() const { return stats_; }
  const JitterConfig& config() const { return config_; }

 private:
  void anchor(uint64_t index, uint64_t nowMs);
  uint64_t dueMs(uint64_t index) const;

  JitterConfig config_;
  JitterStats stats_;
  std::map<uint64_t, std::string> queue_;
  bool anchored_ = false;
  uint64_t anchorIndex_ = 0;
  uint64_t anchorMs_ = 0;
  uint64_t next_ = 0;
  uint32_t concealedRun_ = 0;
  bool poppedSinceAnchor_ = false;
  bool skipPending_ = false;
};

}  // namespace rdk::audio
