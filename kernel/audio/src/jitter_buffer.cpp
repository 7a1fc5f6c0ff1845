#include "rdk/audio/jitter_buffer.h"

#include <algorithm>

namespace rdk::audio {

JitterBuffer::JitterBuffer(JitterConfig config) : config_(config) {
  config_.frameMs = std::max<uint32_t>(1, config_.frameMs);
  config_.maxQueuedFrames = std::max<uint32_t>(2, config_.maxQueuedFrames);
}

void JitterBuffer::reset() {
  queue_.clear();
  anchored_ = false;
  concealedRun_ = 0;
}

void JitterBuffer::anchor(uint64_t index, uint64_t nowMs) {
  anchored_ = true;
  anchorIndex_ = index;
  anchorMs_ = nowMs + config_.targetDelayMs;
  next_ = index;
  concealedRun_ = 0;
  poppedSinceAnchor_ = false;
  skipPending_ = false;
  ++stats_.anchors;
}

uint64_t JitterBuffer::dueMs(uint64_t index) const {
  return anchorMs_ + (index - anchorIndex_) * config_.frameMs;
}

bool JitterBuffer::push(uint64_t index, std::string packet, uint64_t nowMs) {
  if (packet.empty())
    return false;
  if (!anchored_) {
    queue_.clear();
    anchor(index, nowMs);
  } else if (index < next_ && !poppedSinceAnchor_) {
    // Older than the anchor and nothing played yet (reordered at the start): it becomes the
    // anchor, due where it would have been, but not before now.
    const uint64_t earlierMs = (next_ - index) * config_.frameMs;
    anchorMs_ = std::max(anchorMs_ - std::min(anchorMs_, earlierMs), nowMs);
    anchorIndex_ = next_ = index;
  } else if (index < next_) {
    ++stats_.late;
    return false;
  } else if (index >= next_ + config_.maxQueuedFrames) {
    // The sender jumped far ahead (restarted, or we stalled): start over from this packet.
    queue_.clear();
    anchor(index, nowMs);
  }
  if (!queue_.emplace(index, std::move(packet)).second) {
    ++stats_.duplicates;
    return false;
  }
  ++stats_.pushed;
  if (dueMs(index) > nowMs + config_.targetDelayMs + config_.slackFrames * config_.frameMs)
    skipPending_ = true;
  return true;
}

std::optional<JitterBuffer::Frame> JitterBuffer::pop(uint64_t nowMs) {
  if (!anchored_ || nowMs < dueMs(next_))
    return std::nullopt;
  // Packets arrive further ahead of their due time than the target allows (the sender's clock
  // is faster than ours, or a burst came after a stall): skip one frame so the delay comes back
  // instead of growing for ever.
  if (skipPending_ && queue_.count(next_) && queue_.count(next_ + 1)) {
    queue_.erase(next_);
    ++next_;
    ++anchorIndex_;  // the following frames keep their due times
    ++stats_.skipped;
    skipPending_ = false;
  }
  poppedSinceAnchor_ = true;
  Frame f;
  f.index = next_;
  if (auto it = queue_.find(next_); it != queue_.end()) {
    f.action = Action::Play;
    f.packet = std::move(it->second);
    queue_.erase(it);
    ++stats_.played;
    concealedRun_ = 0;
  } else {
    if (queue_.empty() && concealedRun_ >= config_.maxConcealedFrames) {
      // The stream paused: stop inventing sound; the next packet starts playout again.
      anchored_ = false;
      concealedRun_ = 0;
      return std::nullopt;
    }
    if (auto nextIt = queue_.find(next_ + 1); nextIt != queue_.end()) {
      f.action = Action::Recover;
      f.packet = nextIt->second;
      ++stats_.recovered;
      concealedRun_ = 0;
    } else {
      f.action = Action::Conceal;
      ++stats_.concealed;
      ++concealedRun_;
      stats_.longestConcealedRun = std::max(stats_.longestConcealedRun, concealedRun_);
    }
  }
  ++next_;
  return f;
}

}  // namespace rdk::audio
