// `rdkernel attach`'s speaker: asks an Xpra-compatible server for its sound (sound-control
// "start" "opus", as Xpra 3.1.3's client does once its sink is ready), puts each sound-data
// frame into a jitter buffer and plays it from its own thread through PulseAudio and/or into a
// WAV file. Lost frames are recovered from the next frame's FEC or concealed (Opus PLC); late
// ones are dropped.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rdk/audio/jitter_buffer.h"
#include "rdk/audio/opus_codec.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/media.h"

namespace rdk::audio {
class PulsePlayback;
class WavWriter;
}  // namespace rdk::audio

namespace rdk::session {

struct ClientSoundOptions {
  std::string mode = "auto";  // client.sound: auto | pulse | wav | off
  std::string wavPath;        // client.sound-wav
  int delayMs = 60;           // client.sound-delay
  std::string pulseServer;    // "" = the default (PULSE_SERVER)
};

struct ClientSoundStats {
  std::string codec;  // of the stream, once it started
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t decodeErrors = 0;
  audio::JitterStats jitter;
  /// Monotonic times at which decoded sound rose from silence (at least 200 ms of it) to a
  /// level above -30 dBFS: when a tone played on the server was decoded here.
  std::vector<uint64_t> onsetsUs;
};

class ClientSound {
 public:
  /// Opens the outputs; with none (off, or auto without PulseAudio and without a WAV path) the
  /// speaker is disabled and nothing is announced. Throws audio::AudioError for mode "pulse"
  /// without PulseAudio, or a WAV file that cannot be created.
  explicit ClientSound(ClientSoundOptions options);
  ~ClientSound();
  bool enabled() const { return enabled_; }
  /// Our hello's sound.* keys (sound.receive and the decoders when enabled).
  void addCaps(protocol::Value& caps) const;
  /// After the server's hello: the request to start, when it sends sound in a codec we decode.
  std::optional<protocol::SoundControl> startRequest(const protocol::Capabilities& server) const;
  void registerWith(protocol::MessageDispatcher& dispatcher);
  /// Frames due are played by the thread; this stops it and flushes the WAV file.
  void stop();
  ClientSoundStats stats() const;

 private:
  void onData(const protocol::SoundData& data);
  void run();
  void output(const std::vector<int16_t>& pcm, uint64_t nowUs);

  ClientSoundOptions options_;
  bool enabled_ = false;
  audio::AudioFormat format_;
  std::unique_ptr<audio::PulsePlayback> pulse_;
  std::unique_ptr<audio::WavWriter> wav_;
  std::unique_ptr<audio::OpusDecoder> decoder_;  // the playback thread's
  mutable std::mutex mutex_;                     // the jitter buffer and stats
  std::condition_variable wake_;
  audio::JitterBuffer jitter_;
  ClientSoundStats stats_;
  int64_t sequence_ = -1;  // of the stream playing
  bool resetDecoder_ = false;
  uint64_t silentFrames_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace rdk::session
