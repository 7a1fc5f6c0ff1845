// RecordReader: stream bytes in, complete packets out. Never trusts a declared size: bytes are
// buffered only as they arrive, and every limit is checked from the header before waiting.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "rdk/protocol/record.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {

class RecordReader {
 public:
  // Default kDefaultMaxPacketSize; a header above kAbsoluteMaxPacketSize is always gibberish.
  void setMaxPacketSize(size_t bytes) { maxPacketSize_ = bytes; }
  size_t maxPacketSize() const { return maxPacketSize_; }
  // What a compressed packet may expand to (default kMaxDecompressedSize): decompression stops
  // there, so it also bounds the CPU one packet costs.
  void setMaxDecompressedSize(size_t bytes) { maxDecompressedSize_ = bytes; }
  // The aliases WE advertised (int -> packet type): the peer sends those types as ints.
  void setAliases(std::map<int64_t, std::string> aliases) { aliases_ = std::move(aliases); }

  // Calls onPacket for each complete packet, type converted to Bytes (an int the alias table
  // does not know becomes its decimal text). Returns the failure when the stream is broken; the
  // caller disconnects, and later feeds return the same failure without reading anything.
  // Exceptions thrown by onPacket propagate; the reader stays consistent (that packet is consumed).
  std::optional<ProtocolFailure> feed(std::string_view bytes,
                                      const std::function<void(Packet&&)>& onPacket);

  // From the last main record received.
  PacketEncoding peerEncoding() const { return peerEncoding_; }
  Compression peerCompression() const { return peerCompression_; }
  int peerCompressionLevel() const { return peerLevel_; }
  size_t bufferedBytes() const { return buffer_.size() - consumed_; }
  uint64_t packetsRead() const { return packets_; }
  const std::optional<ProtocolFailure>& failure() const { return failure_; }

 private:
  // Handles one complete record; returns false after recording a failure.
  bool handleRecord(const RecordHeader& header, std::string_view payload,
                    const std::function<void(Packet&&)>& onPacket);
  std::optional<ProtocolFailure> checkHeader(const RecordHeader& header) const;
  bool fail(ProtocolFailure::Kind kind, std::string message);

  size_t maxPacketSize_ = kDefaultMaxPacketSize;
  size_t maxDecompressedSize_ = kMaxDecompressedSize;
  std::map<int64_t, std::string> aliases_;
  std::string buffer_;
  size_t consumed_ = 0;
  std::map<uint8_t, std::string> pendingChunks_;
  PacketEncoding peerEncoding_ = PacketEncoding::Bencode;
  Compression peerCompression_ = Compression::None;
  int peerLevel_ = 0;
  uint64_t packets_ = 0;
  std::optional<ProtocolFailure> failure_;
};

}  // namespace rdk::protocol
