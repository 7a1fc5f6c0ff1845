#include "rdk/protocol/messages/input.h"

#include <tuple>

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

Packet KeyAction::toPacket() const {
  return {
      Value(kType),  Value(wid),    Value(keyname), Value(pressed), detail::stringList(modifiers),
      Value(keyval), Value(string), Value(keycode), Value(group)};
}

KeyAction KeyAction::fromPacket(const Packet& p) {
  Fields f(p, kType, 8);
  KeyAction k;
  k.wid = f.integer(1, "wid");
  k.keyname = f.bytes(2, "keyname");
  k.pressed = f.boolean(3, "pressed");
  k.modifiers = f.strings(4, "modifiers");
  k.keyval = f.integer(5, "keyval");
  k.string = f.bytes(6, "string");
  k.keycode = f.integer(7, "keycode");
  k.group = f.integer(8, "group");
  return k;
}

namespace {

std::pair<int64_t, int64_t> readPoint(const Fields& f, size_t index, const char* name,
                                      std::string_view type) {
  const Value::List& pos = f.list(index, name);
  if (pos.size() < 2 || !pos[0].isInt() || !pos[1].isInt()) {
    throw ProtocolError(std::string(type) + ": field '" + name + "' (" + std::to_string(index) +
                        "): expected [x, y, ...]");
  }
  return {pos[0].asInt(), pos[1].asInt()};
}

}  // namespace

Packet ButtonAction::toPacket() const {
  Packet p{Value(kType),
           Value(wid),
           Value(button),
           Value(pressed),
           Value(Value::List{Value(x), Value(y)}),
           detail::stringList(modifiers),
           detail::intList(buttons)};
  for (const auto& e : extra)
    p.push_back(e);
  return p;
}

ButtonAction ButtonAction::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  ButtonAction b;
  b.wid = f.integer(1, "wid");
  b.button = f.integer(2, "button");
  b.pressed = f.boolean(3, "pressed");
  std::tie(b.x, b.y) = readPoint(f, 4, "pointer", kType);
  b.modifiers = f.strings(5, "modifiers");
  if (f.has(6))
    b.buttons = f.integers(6, "buttons");
  b.extra = f.rest(7);
  return b;
}

Packet PointerPosition::toPacket() const {
  Packet p{Value(kType), Value(wid)};
  if (toClient) {
    p.emplace_back(x);
    p.emplace_back(y);
    if (relative) {
      p.emplace_back(relative->first);
      p.emplace_back(relative->second);
    }
    return p;
  }
  Value::List pos{Value(x), Value(y)};
  if (relative) {
    pos.emplace_back(relative->first);
    pos.emplace_back(relative->second);
  }
  p.emplace_back(std::move(pos));
  p.push_back(detail::stringList(modifiers));
  p.push_back(detail::intList(buttons));
  return p;
}

PointerPosition PointerPosition::fromPacket(const Packet& p) {
  Fields f(p, kType, 2);
  PointerPosition pp;
  pp.wid = f.integer(1, "wid");
  if (!f.any(2, "pointer").isList()) {  // server -> client form: wid, x, y(, rx, ry)
    pp.toClient = true;
    pp.x = f.integer(2, "x");
    pp.y = f.integer(3, "y");
    if (f.has(5))
      pp.relative = std::pair{f.integer(4, "rx"), f.integer(5, "ry")};
    return pp;
  }
  std::tie(pp.x, pp.y) = readPoint(f, 2, "pointer", kType);
  const Value::List& pos = f.list(2, "pointer");
  if (pos.size() >= 4 && pos[2].isInt() && pos[3].isInt()) {
    pp.relative = std::pair{pos[2].asInt(), pos[3].asInt()};
  }
  if (f.has(3))
    pp.modifiers = f.strings(3, "modifiers");
  if (f.has(4))
    pp.buttons = f.integers(4, "buttons");
  return pp;
}

}  // namespace rdk::protocol
