#include "rdk/audio/ogg_opus.h"

#include <array>

namespace rdk::audio {

namespace {

std::array<uint32_t, 256> crcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t r = i << 24;
    for (int b = 0; b < 8; ++b)
      r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
    t[i] = r;
  }
  return t;
}

void put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

uint32_t oggCrc(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = crcTable();
  uint32_t crc = 0;
  for (char c : bytes)
    crc = (crc << 8) ^ table[((crc >> 24) ^ static_cast<uint8_t>(c)) & 0xff];
  return crc;
}

OggOpusWriter::OggOpusWriter(std::string idHeader, uint32_t serial)
    : idHeader_(std::move(idHeader)), serial_(serial) {}

std::string OggOpusWriter::makePage(std::string_view packet, uint64_t granule, uint8_t flags) {
  std::string p = "OggS";
  p.push_back(0);  // version
  p.push_back(static_cast<char>(flags));
  for (int i = 0; i < 8; ++i)
    p.push_back(static_cast<char>((granule >> (8 * i)) & 0xff));
  put32(p, serial_);
  put32(p, sequence_++);
  put32(p, 0);  // CRC, filled below
  // Lacing: 255-byte segments, then the remainder (0 when the size is a multiple of 255). An
  // Opus packet is at most 1275 bytes per frame, well within one page's 255 segments.
  const size_t full = packet.size() / 255;
  p.push_back(static_cast<char>(full + 1));
  for (size_t i = 0; i < full; ++i)
    p.push_back(static_cast<char>(255));
  p.push_back(static_cast<char>(packet.size() % 255));
  p.append(packet);
  const uint32_t crc = oggCrc(p);
  for (int i = 0; i < 4; ++i)
    p[22 + static_cast<size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return p;
}

std::string OggOpusWriter::headers() {
  std::string tags = "OpusTags";
  const std::string vendor = "rdkernel";
  put32(tags, static_cast<uint32_t>(vendor.size()));
  tags += vendor;
  put32(tags, 0);                                  // no user comments
  std::string out = makePage(idHeader_, 0, 0x02);  // beginning of stream
  out += makePage(tags, 0, 0);
  return out;
}

std::string OggOpusWriter::page(std::string_view packet, uint64_t granule, bool last) {
  return makePage(packet, granule, last ? 0x04 : 0);
}

}  // namespace rdk::audio
