// Opus encode and decode (libopus) behind a narrow interface: interleaved signed 16-bit PCM in
// 20 ms frames on one side, one Opus packet per frame on the other. No sockets, no clocks.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rdk::audio {

struct AudioFormat {
  int rate = 48000;  // Opus codes 8/12/16/24/48 kHz; the wire always says 48000 (RFC 7845)
  int channels = 2;
  int frameMs = 20;
  size_t frameSamples() const { return static_cast<size_t>(rate / 1000 * frameMs); }
  size_t frameValues() const { return frameSamples() * static_cast<size_t>(channels); }
};

class AudioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OpusEncoder {
 public:
  /// |expectedLossPercent| > 0 turns on Opus in-band FEC sized for that loss: the next packet
  /// then carries a coarse copy of this one, which the decoder uses when this one is lost.
  explicit OpusEncoder(AudioFormat format, int bitrate = 64000, int expectedLossPercent = 10);
  ~OpusEncoder();
  OpusEncoder(const OpusEncoder&) = delete;
  OpusEncoder& operator=(const OpusEncoder&) = delete;
  const AudioFormat& format() const { return format_; }
  /// One frame: exactly format().frameValues() interleaved samples. Throws AudioError otherwise.
  std::string encode(std::span<const int16_t> frame);
  /// RFC 7845 identification header ("OpusHead") for this stream, for Ogg encapsulation.
  std::string idHeader() const;
  int preSkip() const { return preSkip_; }

 private:
  struct State;
  AudioFormat format_;
  std::unique_ptr<State> state_;
  int preSkip_ = 0;
};

class OpusDecoder {
 public:
  explicit OpusDecoder(AudioFormat format);
  ~OpusDecoder();
  OpusDecoder(const OpusDecoder&) = delete;
  OpusDecoder& operator=(const OpusDecoder&) = delete;
  const AudioFormat& format() const { return format_; }
  /// Decodes one packet (any Opus frame size up to 120 ms). Throws AudioError on a corrupt one.
  std::vector<int16_t> decode(std::string_view packet);
  /// Packet-loss concealment: one frame (format().frameSamples()) extrapolated from the past.
  std::vector<int16_t> conceal();
  /// The lost frame before |nextPacket|, from the FEC data |nextPacket| carries (concealment
  /// when it carries none).
  std::vector<int16_t> recover(std::string_view nextPacket);

 private:
  struct State;
  AudioFormat format_;
  std::unique_ptr<State> state_;
};

}  // namespace rdk::audio
