// Ogg encapsulation of an Opus stream (RFC 3533 pages, RFC 7845 mapping) for peers that take
// "opus+ogg", which is what a stock Xpra 3.1.3 client decodes with GStreamer's base plugins alone
// (its raw "opus" decoder needs opusparse, from gst-plugins-bad). One packet per page, so each
// page stands alone and a lost one costs only its 20 ms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rdk::audio {

class OggOpusWriter {
 public:
  /// |idHeader|: the encoder's OpusHead; |serial|: the logical stream's number.
  OggOpusWriter(std::string idHeader, uint32_t serial);
  /// The two header pages (OpusHead with beginning-of-stream, then OpusTags): what a demuxer
  /// needs before any audio page.
  std::string headers();
  /// One page carrying |packet|, whose last sample is |granule| (48 kHz samples since the start,
  /// pre-skip included).
  std::string page(std::string_view packet, uint64_t granule, bool last = false);

 private:
  std::string makePage(std::string_view packet, uint64_t granule, uint8_t flags);
  std::string idHeader_;
  uint32_t serial_;
  uint32_t sequence_ = 0;
};

/// The Ogg CRC (polynomial 0x04c11db7, no reflection, zero initial value).
uint32_t oggCrc(std::string_view bytes);

}  // namespace rdk::audio
