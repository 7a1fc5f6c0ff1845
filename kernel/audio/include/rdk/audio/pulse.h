// PulseAudio, the parts that need a sound server: a private server for one session (a null sink
// its applications play into, as Xpra starts one per session), capture of a source in 20 ms
// frames, and playback. Through libpulse-simple; each object owns its stream or process.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>

#include "rdk/audio/opus_codec.h"

namespace rdk::audio {

/// `pulseaudio` with one null sink (the default sink, so applications play into it) and a
/// native-protocol socket in |dir| (created; removed again by the destructor). Nothing of the
/// user's own PulseAudio set-up is read: HOME and XDG_RUNTIME_DIR point at |dir|.
class PrivatePulseServer {
 public:
  /// Throws AudioError when pulseaudio cannot be started or does not answer within |timeoutMs|.
  PrivatePulseServer(const std::string& dir, const AudioFormat& format, int timeoutMs = 10000);
  ~PrivatePulseServer();
  PrivatePulseServer(const PrivatePulseServer&) = delete;
  PrivatePulseServer& operator=(const PrivatePulseServer&) = delete;
  /// For PULSE_SERVER and pa_simple_new: "unix:<dir>/native".
  const std::string& address() const { return address_; }
  /// The null sink applications play into, and its monitor source (what we capture).
  static constexpr const char* kSink = "rdkernel";
  static constexpr const char* kMonitor = "rdkernel.monitor";

 private:
  std::string dir_;
  std::string address_;
  pid_t pid_ = -1;
};

/// Reads |source| of |server| (empty: the default ones) on its own thread and hands each 20 ms
/// frame (interleaved S16, format.frameValues() samples) to |onFrame| with the monotonic time it
/// was read at.
class PulseCapture {
 public:
  using FrameCallback = std::function<void(std::span<const int16_t> frame, uint64_t readUs)>;
  /// Throws AudioError when the stream cannot be opened.
  PulseCapture(const std::string& server, const std::string& source, const AudioFormat& format,
               FrameCallback onFrame);
  ~PulseCapture();
  PulseCapture(const PulseCapture&) = delete;
  PulseCapture& operator=(const PulseCapture&) = delete;
  /// Set when the stream failed after it started (the thread then ended).
  std::string error() const;

 private:
  struct Stream;
  std::unique_ptr<Stream> stream_;
  AudioFormat format_;
  FrameCallback onFrame_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// Plays interleaved S16 to |server| (empty: the default one), with about |latencyMs| of
/// buffering in the server.
class PulsePlayback {
 public:
  /// Throws AudioError when the stream cannot be opened (no server, ...).
  PulsePlayback(const std::string& server, const AudioFormat& format, int latencyMs = 40);
  ~PulsePlayback();
  PulsePlayback(const PulsePlayback&) = delete;
  PulsePlayback& operator=(const PulsePlayback&) = delete;
  /// Blocks while the server's buffer is full. Throws AudioError when the stream failed.
  void write(std::span<const int16_t> pcm);
  /// How long until what was written last is heard (the server's buffer and the sink's), in us.
  uint64_t latencyUs() const;

 private:
  struct Stream;
  std::unique_ptr<Stream> stream_;
};

}  // namespace rdk::audio
