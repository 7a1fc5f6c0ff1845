#include "rdk/protocol/record.h"

#include <cstdio>
#include <stdexcept>

namespace rdk::protocol {

const char* toString(PacketEncoding e) {
  return e == PacketEncoding::Rencode ? "rencode" : "bencode";
}

const char* toString(Compression c) {
  switch (c) {
    case Compression::None:
      return "none";
    case Compression::Lz4:
      return "lz4";
    case Compression::Zlib:
      return "zlib";
  }
  return "unknown";  // impossible: every enumerator is handled above
}

const char* toString(ProtocolFailure::Kind k) {
  return k == ProtocolFailure::Kind::Gibberish ? "gibberish" : "invalid";
}

std::optional<RecordHeader> RecordHeader::parse(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || static_cast<uint8_t>(bytes[0]) != kMagic)
    return std::nullopt;
  RecordHeader h;
  h.flags = static_cast<uint8_t>(bytes[1]);
  h.compression = static_cast<uint8_t>(bytes[2]);
  h.index = static_cast<uint8_t>(bytes[3]);
  h.size = 0;
  for (size_t i = 4; i < 8; ++i)
    h.size = (h.size << 8) | static_cast<uint8_t>(bytes[i]);
  return h;
}

void RecordHeader::appendTo(std::string& out) const {
  out += static_cast<char>(kMagic);
  out += static_cast<char>(flags);
  out += static_cast<char>(compression);
  out += static_cast<char>(index);
  for (int shift = 24; shift >= 0; shift -= 8)
    out += static_cast<char>((size >> shift) & 0xff);
}

void appendRecord(uint8_t flags, uint8_t compression, uint8_t index, std::string_view payload,
                  std::string& out) {
  if (payload.size() > UINT32_MAX)
    throw std::length_error("record payload over 4 GiB");
  RecordHeader{flags, compression, index, static_cast<uint32_t>(payload.size())}.appendTo(out);
  out += payload;
}

std::string makeRecord(uint8_t flags, uint8_t compression, uint8_t index,
                       std::string_view payload) {
  std::string out;
  out.reserve(kHeaderSize + payload.size());
  appendRecord(flags, compression, index, payload, out);
  return out;
}

std::string guessProtocol(std::string_view firstBytes) {
  if (firstBytes.empty())
    return "no data";
  auto c = static_cast<uint8_t>(firstBytes[0]);
  if (c == 0x16)
    return "SSL/TLS packet?";
  if (firstBytes.substr(0, 4) == "SSH-")
    return "SSH packet";
  std::string_view word = firstBytes.substr(0, firstBytes.find(' '));
  if (firstBytes.size() >= 3 && (word == "GET" || word == "POST")) {
    return "HTTP " + std::string(word) + " request";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "character %#x, not an xpra client?", c);
  return buf;
}

}  // namespace rdk::protocol
