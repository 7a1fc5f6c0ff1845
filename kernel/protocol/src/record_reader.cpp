#include "rdk/protocol/record_reader.h"

#include <cstdio>

#include "rdk/protocol/codec.h"
#include "rdk/protocol/compression.h"

namespace rdk::protocol {
namespace {

std::string hex8(uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%#04x", v);
  return buf;
}

std::string hexHeader(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < kHeaderSize; ++i) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", static_cast<uint8_t>(bytes[i]));
    out += buf;
  }
  return out;
}

// Buffer capacity a reader keeps between packets; beyond it, slack is returned.
constexpr size_t kKeptBufferCapacity = 64 * 1024;

}  // namespace

bool RecordReader::fail(ProtocolFailure::Kind kind, std::string message) {
  failure_ = ProtocolFailure{kind, std::move(message)};
  pendingChunks_.clear();
  buffer_.clear();
  consumed_ = 0;
  return false;
}

std::optional<ProtocolFailure> RecordReader::checkHeader(const RecordHeader& h) const {
  using K = ProtocolFailure::Kind;
  if (h.size > kAbsoluteMaxPacketSize) {
    return ProtocolFailure{K::Gibberish,
                           "invalid size in packet header: " + std::to_string(h.size)};
  }
  if (h.flags & kFlagCipher) {
    return ProtocolFailure{K::Gibberish, "cipher flag set but no cipher is configured"};
  }
  if (h.flags & kFlagYaml) {
    return ProtocolFailure{K::Invalid, "yaml packet encoder is not supported"};
  }
  if (h.flags & ~(kFlagRencode | kFlagCipher | kFlagYaml)) {
    return ProtocolFailure{K::Invalid, "unknown protocol flags " + hex8(h.flags)};
  }
  const uint8_t c = h.compression;
  if (c != 0 && !(c & kCompressLz4)) {
    if (c & kCompressLzo)
      return ProtocolFailure{K::Invalid, "lzo compression is not supported"};
    if (c & kCompressBrotli)
      return ProtocolFailure{K::Invalid, "brotli compression is not supported"};
    if (c & 0x80)
      return ProtocolFailure{K::Invalid, "unknown compressor flag " + hex8(c)};
  }
  if (h.index > kMaxChunkIndex) {
    return ProtocolFailure{K::Invalid, "raw chunk index " + std::to_string(h.index) + " above " +
                                           std::to_string(kMaxChunkIndex)};
  }
  if (h.size > maxPacketSize_) {
    return ProtocolFailure{K::Invalid, "packet size " + std::to_string(h.size) +
                                           " exceeds the maximum of " +
                                           std::to_string(maxPacketSize_)};
  }
  return std::nullopt;
}

std::optional<ProtocolFailure> RecordReader::feed(std::string_view bytes,
                                                  const std::function<void(Packet&&)>& onPacket) {
  if (failure_) {
    return failure_;
  }
  // Fast path: nothing buffered, so records are parsed straight from `bytes` and only an
  // incomplete tail is copied (an 8 MB draw is not copied into the buffer first).
  const bool direct = bufferedBytes() == 0;
  if (direct) {
    buffer_.clear();
    consumed_ = 0;
  } else {
    buffer_.append(bytes);
  }
  const std::string_view source = direct ? bytes : std::string_view(buffer_).substr(consumed_);
  size_t used = 0;
  // However the loop ends (incomplete record, exception from onPacket), keep the unparsed rest.
  auto keepRest = [&] {
    if (failure_) {
      return;  // fail() already dropped the buffer
    }
    if (direct) {
      buffer_.assign(source.substr(used));
      consumed_ = 0;
    } else {
      consumed_ += used;
      // Drop consumed bytes once they dominate the buffer (amortised O(1) per byte).
      if (consumed_ * 2 >= buffer_.size()) {
        buffer_.erase(0, consumed_);
        consumed_ = 0;
      }
    }
    // A big packet must not leave its buffer behind: an idle peer would pin a whole
    // max-packet-size each (64 unauthenticated peers that sent 1 MB hellos kept 66 MB).
    if (buffer_.capacity() > kKeptBufferCapacity && buffer_.size() < buffer_.capacity() / 4) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
      buffer_.shrink_to_fit();
    }
  };
  try {
    while (!failure_) {
      std::string_view pending = source.substr(used);
      if (pending.size() < kHeaderSize) {
        break;
      }
      auto header = RecordHeader::parse(pending);
      if (!header) {
        fail(ProtocolFailure::Kind::Gibberish, "invalid packet format, " +
                                                   guessProtocol(pending.substr(0, 64)) +
                                                   " (header " + hexHeader(pending) + ")");
        break;
      }
      if (auto bad = checkHeader(*header)) {
        fail(bad->kind, bad->message);
        break;
      }
      if (pending.size() - kHeaderSize < header->size) {
        break;  // wait for the payload
      }
      // Counted as used before handling, so onPacket may throw without breaking state; the
      // source bytes are not touched until keepRest(), so the payload view stays valid.
      used += kHeaderSize + header->size;
      if (!handleRecord(*header, pending.substr(kHeaderSize, header->size), onPacket)) {
        break;
      }
    }
  } catch (...) {
    keepRest();
    throw;
  }
  keepRest();
  return failure_;
}

bool RecordReader::handleRecord(const RecordHeader& h, std::string_view payload,
                                const std::function<void(Packet&&)>& onPacket) {
  using K = ProtocolFailure::Kind;
  Compression compression = Compression::None;
  std::string decompressed;
  if (h.compression != 0) {
    try {
      if (h.compression & kCompressLz4) {
        compression = Compression::Lz4;
        decompressed = lz4Decompress(payload, maxDecompressedSize_);
      } else {
        compression = Compression::Zlib;
        decompressed = zlibDecompress(payload, maxDecompressedSize_);
      }
    } catch (const ProtocolError& e) {
      return fail(K::Gibberish, std::string("failed to decompress packet: ") + e.what());
    }
    payload = decompressed;
  }

  if (h.index > 0) {
    if (pendingChunks_.count(h.index) != 0) {
      return fail(K::Invalid, "duplicate raw chunk index " + std::to_string(h.index));
    }
    if (pendingChunks_.size() >= kMaxPendingRawChunks) {
      return fail(K::Invalid, "too many raw chunks (more than " +
                                  std::to_string(kMaxPendingRawChunks) + ") before a main packet");
    }
    pendingChunks_.emplace(h.index, std::string(payload));
    return true;
  }

  const bool rencoded = (h.flags & kFlagRencode) != 0;
  Value decoded;
  try {
    decoded = rencoded ? rdecode(payload) : bdecode(payload);
  } catch (const ProtocolError& e) {
    return fail(K::Gibberish, std::string("failed to parse ") +
                                  (rencoded ? "rencoded" : "bencoded") + " packet: " + e.what());
  }
  if (!decoded.isList() || decoded.asList().empty()) {
    return fail(K::Invalid, "packet is not a non-empty list: " + decoded.debugString(80));
  }
  Packet packet = std::move(decoded.asList());
  if (packet[0].isInt()) {
    auto alias = aliases_.find(packet[0].asInt());
    packet[0] =
        alias != aliases_.end() ? Value(alias->second) : Value(std::to_string(packet[0].asInt()));
  } else if (!packet[0].isBytes()) {
    return fail(K::Invalid, std::string("packet type must be bytes or int, got ") +
                                Value::typeName(packet[0].type()));
  }
  for (auto& [index, data] : pendingChunks_) {
    if (index >= packet.size()) {
      return fail(K::Invalid, "raw chunk index " + std::to_string(index) + " outside the " +
                                  std::to_string(packet.size()) + "-item '" + packet[0].asBytes() +
                                  "' packet");
    }
    packet[index] = Value(std::move(data));
  }
  pendingChunks_.clear();
  peerEncoding_ = rencoded ? PacketEncoding::Rencode : PacketEncoding::Bencode;
  peerCompression_ = compression;
  peerLevel_ = h.compression & 0x0f;
  ++packets_;
  onPacket(std::move(packet));
  return true;
}

}  // namespace rdk::protocol
