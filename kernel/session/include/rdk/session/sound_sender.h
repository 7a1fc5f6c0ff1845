// One client's sound stream, as an Xpra 3.1.3 server runs it (server/source/audio_mixin.py):
// nothing is sent until the client asks with sound-control "start" [codec]; the stream opens
// with a start-of-stream sound-data (codec, sequence), carries one Opus frame per sound-data
// ("opus": the raw packet; "opus+ogg": one Ogg page, the header pages bundled as packet
// metadata with the first one, or sent before it to clients that do not bundle), and ends with
// end-of-stream on "stop" [sequence]; "new-sequence" n numbers the next stream. The first
// frames go reliably (a decoder needs its headers); later ones are droppable.
// Pure logic: packets out, no channel, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rdk/audio/ogg_opus.h"
#include "rdk/audio/opus_source.h"
#include "rdk/protocol/messages/media.h"

namespace rdk::session {

struct SoundPeer {
  bool receive = false;               // sound.receive
  std::vector<std::string> decoders;  // sound.decoders, the client's preference order
  bool bundleMetadata = false;        // sound.bundle-metadata
};

class SoundSender {
 public:
  /// What we encode, our preference order (the server's sound.encoders).
  static const std::vector<std::string>& encoders();

  SoundSender(SoundPeer peer, std::string opusHead, int preSkip, int frameMs);

  struct Out {
    protocol::SoundData data;
    bool droppable = false;
  };
  /// A sound-control from the client; |reply| says what was done (for the log).
  std::vector<Out> control(const protocol::SoundControl& control, std::string* reply);
  /// A frame of the server's capture: nothing unless streaming.
  std::vector<Out> frame(const audio::EncodedFrame& frame);
  bool streaming() const { return streaming_; }
  const std::string& codec() const { return codec_; }
  int64_t sequence() const { return sequence_; }
  uint64_t framesSent() const { return sent_; }
  /// Over all of this client's streams (rdkernel info): frames sent and their payload bytes
  /// (the sound-data's data, Ogg pages and headers included).
  uint64_t totalFrames() const { return totalFrames_; }
  uint64_t totalBytes() const { return totalBytes_; }

  /// Frames sent reliably at the start of a stream (Xpra: "don't drop the first 10 buffers").
  static constexpr uint64_t kReliableFrames = 10;

 private:
  std::vector<Out> start(const std::string& codec, std::string* reply);
  std::vector<Out> stop(std::string* reply);
  protocol::SoundData endOfStream(const std::string& codec) const;

  SoundPeer peer_;
  std::string opusHead_;
  int preSkip_;
  int frameMs_;
  bool streaming_ = false;
  std::string codec_;
  int64_t sequence_ = 0;
  uint64_t sent_ = 0;
  uint64_t firstIndex_ = 0;
  uint64_t totalFrames_ = 0;
  uint64_t totalBytes_ = 0;
  uint32_t serial_ = 0x72646b00;  // "rdk\0", +1 per stream
  std::optional<audio::OggOpusWriter> ogg_;
};

}  // namespace rdk::session
