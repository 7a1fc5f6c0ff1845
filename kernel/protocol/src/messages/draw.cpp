#include "rdk/protocol/messages/draw.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

Packet Draw::toPacket() const {
  return {Value(kType),          Value(wid),       Value(x),      Value(y),
          Value(width),          Value(height),    Value(coding), Value(data),
          Value(packetSequence), Value(rowstride), Value(options)};
}

Draw Draw::fromPacket(const Packet& p) {
  Fields f(p, kType, 9);
  Draw d;
  d.wid = f.integer(1, "wid");
  d.x = f.integer(2, "x");
  d.y = f.integer(3, "y");
  d.width = f.integer(4, "w");
  d.height = f.integer(5, "h");
  d.coding = f.bytes(6, "coding");
  d.data = f.bytes(7, "data");
  d.packetSequence = f.integer(8, "packet_sequence");
  d.rowstride = f.integer(9, "rowstride");
  if (auto opts = f.optDict(10, "options"))
    d.options = std::move(*opts);
  return d;
}

Packet DamageSequence::toPacket() const {
  return {Value(kType),  Value(packetSequence), Value(wid),    Value(width),
          Value(height), Value(decodeTimeUs),   Value(message)};
}

DamageSequence DamageSequence::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  DamageSequence d;
  d.packetSequence = f.integer(1, "packet_sequence");
  d.wid = f.integer(2, "wid");
  d.width = f.integer(3, "width");
  d.height = f.integer(4, "height");
  d.decodeTimeUs = f.integer(5, "decode_time");
  d.message = f.optBytes(6, "message").value_or("");
  return d;
}

}  // namespace rdk::protocol
