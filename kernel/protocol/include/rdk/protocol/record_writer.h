// RecordWriter: one logical packet -> the bytes of all its records, ready for the socket.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "rdk/protocol/record.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {

class RecordWriter {
 public:
  void setEncoding(PacketEncoding e) { encoding_ = e; }
  // level 0 = off; main records of kMinCompressSize bytes or less always go uncompressed.
  void setCompression(Compression c, int level);
  // The peer's aliases (int -> packet type, as Capabilities::aliases() returns them): packet
  // types found here are sent as their int.
  void setAliases(std::map<int64_t, std::string> aliases);
  // Compress raw chunks with the record compressor too (Xpra does it for plain bytes). Off by
  // default: chunk payloads are normally already-compressed pixels or audio.
  void setCompressRawChunks(bool on) { compressRawChunks_ = on; }
  // Float width for rencode (32 like stock python rencode, or 64).
  void setRencodeFloatBits(int bits) { floatBits_ = bits; }

  // Bytes arguments at index 1..15 larger than kRawChunkThreshold (at most
  // kMaxPendingRawChunks of them, lowest index first) travel as raw chunk records written
  // before the main record, which holds "" in their place. Throws ProtocolError when the packet
  // cannot be encoded (empty packet, None or float in bencode, ...).
  std::string write(const Packet& packet) const { return write(packet, compressRawChunks_); }
  // The same, with raw chunks compressed (when the writer compresses at all) or not, whatever
  // setCompressRawChunks says: Xpra 3.1.3 sends large clipboard contents this way.
  std::string write(const Packet& packet, bool compressRawChunks) const;

  PacketEncoding encoding() const { return encoding_; }
  Compression compression() const { return compression_; }
  int level() const { return level_; }

 private:
  PacketEncoding encoding_ = PacketEncoding::Rencode;
  Compression compression_ = Compression::None;
  int level_ = 0;
  int floatBits_ = 32;
  bool compressRawChunks_ = false;
  std::map<std::string, int64_t, std::less<>> sendAliases_;
};

}  // namespace rdk::protocol
