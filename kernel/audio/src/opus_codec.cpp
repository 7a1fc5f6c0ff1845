#include "rdk/audio/opus_codec.h"

#include <opus/opus.h>

#include <algorithm>

namespace rdk::audio {

namespace {

void checkFormat(const AudioFormat& f) {
  const bool rateOk =
      f.rate == 8000 || f.rate == 12000 || f.rate == 16000 || f.rate == 24000 || f.rate == 48000;
  const bool frameOk = f.frameMs == 10 || f.frameMs == 20 || f.frameMs == 40 || f.frameMs == 60;
  if (!rateOk || (f.channels != 1 && f.channels != 2) || !frameOk)
    throw AudioError("opus: unsupported format " + std::to_string(f.rate) + " Hz, " +
                     std::to_string(f.channels) + " channels, " + std::to_string(f.frameMs) +
                     " ms frames");
}

// The largest Opus packet is 120 ms; at 48 kHz that is 5760 samples per channel.
constexpr int kMaxPacketSamples = 5760;

}  // namespace

struct OpusEncoder::State {
  ::OpusEncoder* enc = nullptr;
  ~State() { opus_encoder_destroy(enc); }
};

OpusEncoder::OpusEncoder(AudioFormat format, int bitrate, int expectedLossPercent)
    : format_(format), state_(std::make_unique<State>()) {
  checkFormat(format_);
  // FEC is coded in the SILK layer only; RESTRICTED_LOWDELAY is CELT only, so a stream that
  // expects loss uses the AUDIO application (same 20 ms frames, ~4 ms more look-ahead).
  const int application =
      expectedLossPercent > 0 ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_RESTRICTED_LOWDELAY;
  int err = OPUS_OK;
  state_->enc = opus_encoder_create(format_.rate, format_.channels, application, &err);
  if (err != OPUS_OK || !state_->enc)
    throw AudioError(std::string("opus: encoder: ") + opus_strerror(err));
  opus_encoder_ctl(state_->enc, OPUS_SET_BITRATE(bitrate));
  if (expectedLossPercent > 0) {
    opus_encoder_ctl(state_->enc, OPUS_SET_INBAND_FEC(1));
    opus_encoder_ctl(state_->enc, OPUS_SET_PACKET_LOSS_PERC(expectedLossPercent));
  }
  opus_int32 lookahead = 0;
  opus_encoder_ctl(state_->enc, OPUS_GET_LOOKAHEAD(&lookahead));
  // RFC 7845 pre-skip is in 48 kHz samples.
  preSkip_ = static_cast<int>(lookahead) * (48000 / format_.rate);
}

OpusEncoder::~OpusEncoder() = default;

std::string OpusEncoder::encode(std::span<const int16_t> frame) {
  if (frame.size() != format_.frameValues())
    throw AudioError("opus: encode needs " + std::to_string(format_.frameValues()) +
                     " samples, got " + std::to_string(frame.size()));
  std::string out(4000, '\0');  // libopus' recommended upper bound for one packet
  const opus_int32 n = opus_encode(
      state_->enc, frame.data(), static_cast<int>(format_.frameSamples()),
      reinterpret_cast<unsigned char*>(out.data()), static_cast<opus_int32>(out.size()));
  if (n < 0)
    throw AudioError(std::string("opus: encode: ") + opus_strerror(n));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string OpusEncoder::idHeader() const {
  std::string h = "OpusHead";
  h.push_back(1);  // version
  h.push_back(static_cast<char>(format_.channels));
  h.push_back(static_cast<char>(preSkip_ & 0xff));
  h.push_back(static_cast<char>((preSkip_ >> 8) & 0xff));
  const uint32_t rate = static_cast<uint32_t>(format_.rate);
  for (int i = 0; i < 4; ++i)
    h.push_back(static_cast<char>((rate >> (8 * i)) & 0xff));
  h.push_back(0);  // output gain
  h.push_back(0);
  h.push_back(0);  // channel mapping family 0: mono or stereo
  return h;
}

struct OpusDecoder::State {
  ::OpusDecoder* dec = nullptr;
  ~State() { opus_decoder_destroy(dec); }
};

OpusDecoder::OpusDecoder(AudioFormat format) : format_(format), state_(std::make_unique<State>()) {
  checkFormat(format_);
  int err = OPUS_OK;
  state_->dec = opus_decoder_create(format_.rate, format_.channels, &err);
  if (err != OPUS_OK || !state_->dec)
    throw AudioError(std::string("opus: decoder: ") + opus_strerror(err));
}

OpusDecoder::~OpusDecoder() = default;

std::vector<int16_t> OpusDecoder::decode(std::string_view packet) {
  if (packet.empty())
    throw AudioError("opus: empty packet");
  std::vector<int16_t> pcm(static_cast<size_t>(kMaxPacketSamples * format_.channels));
  const int n =
      opus_decode(state_->dec, reinterpret_cast<const unsigned char*>(packet.data()),
                  static_cast<opus_int32>(packet.size()), pcm.data(), kMaxPacketSamples, 0);
  if (n < 0)
    throw AudioError(std::string("opus: decode: ") + opus_strerror(n));
  pcm.resize(static_cast<size_t>(n * format_.channels));
  return pcm;
}

std::vector<int16_t> OpusDecoder::conceal() {
  std::vector<int16_t> pcm(format_.frameValues());
  const int n =
      opus_decode(state_->dec, nullptr, 0, pcm.data(), static_cast<int>(format_.frameSamples()), 0);
  if (n < 0)
    std::fill(pcm.begin(), pcm.end(), 0);
  return pcm;
}

std::vector<int16_t> OpusDecoder::recover(std::string_view nextPacket) {
  if (nextPacket.empty())
    return conceal();
  std::vector<int16_t> pcm(format_.frameValues());
  // With decode_fec=1 the frame size must be the lost frame's: ours are all one size.
  const int n = opus_decode(state_->dec, reinterpret_cast<const unsigned char*>(nextPacket.data()),
                            static_cast<opus_int32>(nextPacket.size()), pcm.data(),
                            static_cast<int>(format_.frameSamples()), 1);
  if (n < 0)
    return conceal();
  return pcm;
}

}  // namespace rdk::audio
