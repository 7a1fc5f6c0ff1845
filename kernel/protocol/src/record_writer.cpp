#include "rdk/protocol/record_writer.h"

#include <algorithm>

#include "rdk/protocol/codec.h"
#include "rdk/protocol/compression.h"

namespace rdk::protocol {

void RecordWriter::setCompression(Compression c, int level) {
  compression_ = c;
  level_ = std::clamp(level, 0, 15);
}

void RecordWriter::setAliases(std::map<int64_t, std::string> aliases) {
  sendAliases_.clear();
  for (auto& [id, name] : aliases)
    sendAliases_[std::move(name)] = id;
}

std::string RecordWriter::write(const Packet& packet, bool compressRawChunks) const {
  if (packet.empty())
    throw ProtocolError("cannot write an empty packet");
  if (!packet[0].isBytes() && !packet[0].isInt()) {
    throw ProtocolError(std::string("packet type must be bytes or int, got ") +
                        Value::typeName(packet[0].type()));
  }
  const bool compressing = compression_ != Compression::None && level_ > 0;
  std::string out;

  // Large byte arguments become raw chunk records, written first.
  std::vector<size_t> chunkIndexes;
  size_t chunkBytes = 0;
  const size_t lastIndex = std::min<size_t>(packet.size() - 1, kMaxChunkIndex);
  for (size_t i = 1; i <= lastIndex && chunkIndexes.size() < kMaxPendingRawChunks; ++i) {
    if (packet[i].isBytes() && packet[i].asBytes().size() > kRawChunkThreshold) {
      chunkIndexes.push_back(i);
      chunkBytes += kHeaderSize + packet[i].asBytes().size();
    }
  }
  out.reserve(chunkBytes + kHeaderSize + 256);
  for (size_t i : chunkIndexes) {
    const std::string& data = packet[i].asBytes();
    if (compressRawChunks && compressing) {
      CompressedPayload c = compressPayload(compression_, level_, data);
      appendRecord(0, c.flagByte, static_cast<uint8_t>(i), c.data, out);
    } else {
      appendRecord(0, 0, static_cast<uint8_t>(i), data, out);
    }
  }

  // The main record: everything else, with "" placeholders and the type alias if any. Items
  // are referenced, not copied: a hello holds thousands of values.
  const Value placeholder("");
  Value aliasType;
  std::vector<const Value*> items;
  items.reserve(packet.size());
  items.push_back(&packet[0]);
  if (packet[0].isBytes()) {
    auto alias = sendAliases_.find(packet[0].asBytes());
    if (alias != sendAliases_.end()) {
      aliasType = Value(alias->second);
      items[0] = &aliasType;
    }
  }
  for (size_t i = 1; i < packet.size(); ++i) {
    bool chunked = std::find(chunkIndexes.begin(), chunkIndexes.end(), i) != chunkIndexes.end();
    items.push_back(chunked ? &placeholder : &packet[i]);
  }
  std::string payload;
  uint8_t flags = 0;
  if (encoding_ == PacketEncoding::Rencode) {
    rencodeListAppend(items, payload, floatBits_);
    flags = kFlagRencode;
  } else {
    bencodeListAppend(items, payload);
  }
  if (compressing && payload.size() > kMinCompressSize) {
    CompressedPayload c = compressPayload(compression_, level_, payload);
    appendRecord(flags, c.flagByte, 0, c.data, out);
  } else {
    appendRecord(flags, 0, 0, payload, out);
  }
  return out;
}

}  // namespace rdk::protocol
