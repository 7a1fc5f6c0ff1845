#include "rdk/protocol/messages/media.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

Packet Cursor::toPacket() const {
  if (isDefault())
    return {Value(kType), Value("")};
  return {Value(kType),  Value(encoding),    Value(x),        Value(y),        Value(width),
          Value(height), Value(xhot),        Value(yhot),     Value(serial),   Value(pixels),
          Value(name),   Value(defaultSize), Value(maxWidth), Value(maxHeight)};
}

Cursor Cursor::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  Cursor c;
  c.encoding = f.bytes(1, "encoding");
  if (c.encoding.empty())
    return c;  // default cursor
  if (f.argCount() < 9) {
    throw ProtocolError("cursor: expected at least 9 arguments, got " +
                        std::to_string(f.argCount()));
  }
  c.x = f.integer(2, "x");
  c.y = f.integer(3, "y");
  c.width = f.integer(4, "w");
  c.height = f.integer(5, "h");
  c.xhot = f.integer(6, "xhot");
  c.yhot = f.integer(7, "yhot");
  c.serial = f.integer(8, "serial");
  c.pixels = f.bytes(9, "pixels");
  c.name = f.optBytes(10, "name").value_or("");
  c.defaultSize = f.optInteger(11, "default_size").value_or(0);
  c.maxWidth = f.optInteger(12, "max_w").value_or(0);
  c.maxHeight = f.optInteger(13, "max_h").value_or(0);
  return c;
}

Packet Bell::toPacket() const {
  return {Value(kType),    Value(wid),       Value(device), Value(percent), Value(pitch),
          Value(duration), Value(bellClass), Value(bellId), Value(bellName)};
}

Bell Bell::fromPacket(const Packet& p) {
  Fields f(p, kType, 8);
  Bell b;
  b.wid = f.integer(1, "wid");
  b.device = f.integer(2, "device");
  b.percent = f.integer(3, "percent");
  b.pitch = f.integer(4, "pitch");
  b.duration = f.integer(5, "duration");
  b.bellClass = f.integer(6, "bell_class");
  b.bellId = f.integer(7, "bell_id");
  b.bellName = f.bytes(8, "bell_name");
  return b;
}

Packet SoundData::toPacket() const {
  Packet p{Value(kType), Value(codec), Value(data), Value(metadata)};
  if (packetMetadata)
    p.emplace_back(*packetMetadata);
  return p;
}

SoundData SoundData::fromPacket(const Packet& p) {
  Fields f(p, kType, 3);
  SoundData s;
  s.codec = f.bytes(1, "codec");
  s.data = f.bytes(2, "data");
  s.metadata = f.dictOrEmpty(3, "metadata");
  if (f.has(4))
    s.packetMetadata = f.list(4, "packet_metadata");
  return s;
}

Packet SoundControl::toPacket() const {
  Packet p{Value(kType), Value(command)};
  p.insert(p.end(), args.begin(), args.end());
  return p;
}

SoundControl SoundControl::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return SoundControl{f.bytes(1, "command"), f.rest(2)};
}

}  // namespace rdk::protocol
