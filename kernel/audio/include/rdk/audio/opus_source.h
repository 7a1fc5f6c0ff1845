// The server's sound: the session's private PulseAudio server (or a source of the user's own
// server, for shadow sessions) captured in 20 ms frames, encoded to Opus on the capture thread and
// queued for the loop, which takes them at each pass.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/audio/opus_codec.h"

namespace rdk::audio {

class PrivatePulseServer;
class PulseCapture;

struct EncodedFrame {
  uint64_t index = 0;      // frames since the capture started
  uint64_t captureUs = 0;  // monotonic time the frame was read
  std::string packet;      // one Opus packet
};

struct OpusSourceSettings {
  AudioFormat format;
  int bitrate = 64000;
  int expectedLossPercent = 10;  // in-band FEC sized for it (0: none)
  /// A private server in this directory (its null sink is the default sink of the session's
  /// applications); empty: capture |source| of |server| instead.
  std::string privateDir;
  std::string server;         // "" = the default server
  std::string source;         // "" = the default source
  size_t maxQueued = 50;      // frames kept when the loop does not take them (1 s)
  int startTimeoutMs = 5000;  // the constructor waits this long at most for the first frame
};

class OpusSource {
 public:
  /// Throws AudioError when PulseAudio or the capture cannot be started.
  explicit OpusSource(OpusSourceSettings settings);
  ~OpusSource();
  /// For the applications' environment: PULSE_SERVER of the private server ("" without one).
  std::string pulseServer() const;
  /// What was encoded since the last call, oldest first. Thread-safe.
  std::vector<EncodedFrame> take();
  const std::string& idHeader() const { return idHeader_; }
  int preSkip() const { return preSkip_; }
  const AudioFormat& format() const { return settings_.format; }
  uint64_t dropped() const;
  std::string error() const;

 private:
  OpusSourceSettings settings_;
  std::unique_ptr<PrivatePulseServer> server_;
  std::unique_ptr<OpusEncoder> encoder_;
  std::string idHeader_;
  int preSkip_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable flowing_;
  std::deque<EncodedFrame> queue_;
  uint64_t next_ = 0;
  uint64_t dropped_ = 0;
  std::string encodeError_;
  std::unique_ptr<PulseCapture> capture_;  // last: its thread stops first
};

}  // namespace rdk::audio
