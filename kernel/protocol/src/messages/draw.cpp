#include "rdk/protocol/messages/draw.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

Packet Draw::toPacket() const {
  Value payload(data);
  if (coding == kScrollCoding) {
    Value::List list;
    list.reserve(scrolls.size());
    for (const DrawScroll& s : scrolls)
      list.push_back(Value(
          Value::List{Value(s.x), Value(s.y), Value(s.w), Value(s.h), Value(s.dx), Value(s.dy)}));
    payload = Value(std::move(list));
  }
  return {Value(kType),          Value(wid),       Value(x),      Value(y),
          Value(width),          Value(height),    Value(coding), std::move(payload),
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
  if (d.coding == kScrollCoding) {
    const Value::List& list = f.list(7, "data");
    if (list.size() > kMaxScrolls)
      throw ProtocolError("draw: field 'data' (7): " + std::to_string(list.size()) +
                          " scrolls, at most " + std::to_string(kMaxScrolls));
    d.scrolls.reserve(list.size());
    for (const Value& item : list) {
      if (!item.isList() || item.asList().size() != 6)
        throw ProtocolError("draw: field 'data' (7): a scroll is not [x, y, w, h, dx, dy]");
      const Value::List& v = item.asList();
      for (const Value& n : v) {
        if (!n.isInt())
          throw ProtocolError("draw: field 'data' (7): a scroll value is not an int");
      }
      d.scrolls.push_back(DrawScroll{v[0].asInt(), v[1].asInt(), v[2].asInt(), v[3].asInt(),
                                     v[4].asInt(), v[5].asInt()});
    }
  } else {
    d.data = f.bytes(7, "data");
  }
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
