#include "rdk/protocol/messages/keyboard.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

Packet LayoutChanged::toPacket() const {
  Packet p{Value(kType), Value(layout), Value(variant)};
  if (options)
    p.emplace_back(*options);
  return p;
}

LayoutChanged LayoutChanged::fromPacket(const Packet& p) {
  Fields f(p, kType, 2);
  return {f.bytes(1, "layout"), f.bytes(2, "variant"), f.optBytes(3, "options")};
}

Packet KeymapChanged::toPacket() const {
  return {Value(kType), Value(properties), Value(force)};
}

KeymapChanged KeymapChanged::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  KeymapChanged k;
  k.properties = f.dictOrEmpty(1, "props");
  k.force = f.optBoolean(2, "force").value_or(false);
  return k;
}

Packet KeyRepeat::toPacket() const {
  return {Value(kType),  Value(wid),     Value(keyname),
          Value(keyval), Value(keycode), detail::stringList(modifiers)};
}

KeyRepeat KeyRepeat::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  return {f.integer(1, "wid"), f.bytes(2, "keyname"), f.integer(3, "keyval"),
          f.integer(4, "keycode"), f.strings(5, "modifiers")};
}

}  // namespace rdk::protocol
