// The Xpra record: 8-byte header + payload (reference §1.1-1.6).
//
//   byte 0   'P'
//   byte 1   protocol flags: 0x01 rencode (else bencode), 0x02 cipher, 0x04 yaml
//   byte 2   compression: 0 none, 0x10|level lz4, 1..9 zlib level (0x20 lzo, 0x40 brotli
//   unsupported) byte 3   chunk index: 0 main packet, 1..15 raw chunk replacing element N of the
//   main packet 4..7     payload size, u32 big-endian
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rdk::protocol {

enum class PacketEncoding { Rencode, Bencode };
enum class Compression { None, Lz4, Zlib };

const char* toString(PacketEncoding e);  // "rencode" / "bencode"
const char* toString(Compression c);     // "none" / "lz4" / "zlib"

inline constexpr size_t kHeaderSize = 8;
inline constexpr uint8_t kMagic = 'P';
inline constexpr uint8_t kFlagRencode = 0x01;
inline constexpr uint8_t kFlagCipher = 0x02;
inline constexpr uint8_t kFlagYaml = 0x04;
inline constexpr uint8_t kCompressLz4 = 0x10;
inline constexpr uint8_t kCompressLzo = 0x20;
inline constexpr uint8_t kCompressBrotli = 0x40;

inline constexpr size_t kDefaultMaxPacketSize = 16u << 20;    // 3.1.3 initial max_packet_size
inline constexpr size_t kAbsoluteMaxPacketSize = 256u << 20;  // larger header size = gibberish
inline constexpr size_t kMaxDecompressedSize = 256u << 20;    // lz4 declared size / zlib output
inline constexpr size_t kMinCompressSize = 378;  // main records this size or less go uncompressed
inline constexpr size_t kRawChunkThreshold = 4096;  // Bytes args larger than this become raw chunks
inline constexpr size_t kMaxPendingRawChunks = 3;   // a 4th chunk before the main record is invalid
inline constexpr uint8_t kMaxChunkIndex = 15;

// Why a stream was given up, as Xpra classifies it (reference §1.9): gibberish = the bytes are
// not xpra (bad magic, size, undecompressable, undecodable); invalid = well-formed but refused
// (unsupported encoder/compressor, too large, chunk rules).
struct ProtocolFailure {
  enum class Kind { Gibberish, Invalid };
  Kind kind;
  std::string message;
};
const char* toString(ProtocolFailure::Kind k);  // "gibberish" / "invalid"

struct RecordHeader {
  uint8_t flags = 0;
  uint8_t compression = 0;
  uint8_t index = 0;
  uint32_t size = 0;

  // Requires at least kHeaderSize bytes; nullopt when the magic byte is not 'P'.
  static std::optional<RecordHeader> parse(std::string_view bytes);
  void appendTo(std::string& out) const;
};

// Builds one record (header + payload) as-is; used by the writer, tests and fuzz seeds.
std::string makeRecord(uint8_t flags, uint8_t compression, uint8_t index, std::string_view payload);
void appendRecord(uint8_t flags, uint8_t compression, uint8_t index, std::string_view payload,
                  std::string& out);

// What a non-xpra peer probably is, from its first bytes (Xpra's guess_header_protocol):
// "SSL/TLS packet?", "HTTP GET request", "SSH packet", "character 0x.., not an xpra client?".
std::string guessProtocol(std::string_view firstBytes);

}  // namespace rdk::protocol
