#include "rdk/protocol/messages/window.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

namespace {

Packet newWindowPacket(std::string_view type, const NewWindow& w) {
  return {Value(type),    Value(w.wid),    Value(w.x),        Value(w.y),
          Value(w.width), Value(w.height), Value(w.metadata), Value(w.clientProperties)};
}

void readNewWindow(const Packet& p, std::string_view type, NewWindow& w) {
  Fields f(p, type, 6);
  w.wid = f.integer(1, "wid");
  w.x = f.integer(2, "x");
  w.y = f.integer(3, "y");
  w.width = f.integer(4, "w");
  w.height = f.integer(5, "h");
  w.metadata = f.dict(6, "metadata");
  if (f.has(7))
    w.clientProperties = f.dictOrEmpty(7, "client_properties");
}

}  // namespace

Packet NewWindow::toPacket() const {
  return newWindowPacket(kType, *this);
}

NewWindow NewWindow::fromPacket(const Packet& p) {
  NewWindow w;
  readNewWindow(p, kType, w);
  return w;
}

Packet NewOverrideRedirect::toPacket() const {
  return newWindowPacket(kType, *this);
}

NewOverrideRedirect NewOverrideRedirect::fromPacket(const Packet& p) {
  NewOverrideRedirect w;
  readNewWindow(p, kType, w);
  return w;
}

Packet NewTray::toPacket() const {
  return {Value(kType), Value(wid), Value(width), Value(height), Value(metadata)};
}

NewTray NewTray::fromPacket(const Packet& p) {
  Fields f(p, kType, 4);
  return NewTray{f.integer(1, "wid"), f.integer(2, "w"), f.integer(3, "h"), f.dict(4, "metadata")};
}

Packet RaiseWindow::toPacket() const {
  return {Value(kType), Value(wid)};
}

RaiseWindow RaiseWindow::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return RaiseWindow{f.integer(1, "wid")};
}

Packet WindowMoveResize::toPacket() const {
  return {Value(kType),  Value(wid),          Value(x), Value(y), Value(width),
          Value(height), Value(resizeCounter)};
}

WindowMoveResize WindowMoveResize::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  return WindowMoveResize{f.integer(1, "wid"), f.integer(2, "x"),
                          f.integer(3, "y"),   f.integer(4, "w"),
                          f.integer(5, "h"),   f.optInteger(6, "resize_counter").value_or(0)};
}

Packet WindowResized::toPacket() const {
  return {Value(kType), Value(wid), Value(width), Value(height), Value(resizeCounter)};
}

WindowResized WindowResized::fromPacket(const Packet& p) {
  Fields f(p, kType, 3);
  return WindowResized{f.integer(1, "wid"), f.integer(2, "w"), f.integer(3, "h"),
                       f.optInteger(4, "resize_counter").value_or(0)};
}

Packet WindowMetadata::toPacket() const {
  return {Value(kType), Value(wid), Value(changes)};
}

WindowMetadata WindowMetadata::fromPacket(const Packet& p) {
  Fields f(p, kType, 2);
  return WindowMetadata{f.integer(1, "wid"), f.dict(2, "metadata")};
}

Packet LostWindow::toPacket() const {
  return {Value(kType), Value(wid)};
}

LostWindow LostWindow::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return LostWindow{f.integer(1, "wid")};
}

Packet MapWindow::toPacket() const {
  Packet p{Value(kType),           Value(wid), Value(x), Value(y), Value(width), Value(height),
           Value(clientProperties)};
  if (state)
    p.emplace_back(*state);
  return p;
}

MapWindow MapWindow::fromPacket(const Packet& p) {
  Fields f(p, kType, 6);
  MapWindow m;
  m.wid = f.integer(1, "wid");
  m.x = f.integer(2, "x");
  m.y = f.integer(3, "y");
  m.width = f.integer(4, "w");
  m.height = f.integer(5, "h");
  m.clientProperties = f.dictOrEmpty(6, "client_properties");
  m.state = f.optDict(7, "state");
  return m;
}

Packet ConfigureOverrideRedirect::toPacket() const {
  return {Value(kType), Value(wid), Value(x), Value(y), Value(width), Value(height)};
}

ConfigureOverrideRedirect ConfigureOverrideRedirect::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  return ConfigureOverrideRedirect{f.integer(1, "wid"), f.integer(2, "x"), f.integer(3, "y"),
                                   f.integer(4, "w"), f.integer(5, "h")};
}

Packet WindowIcon::toPacket() const {
  return {Value(kType), Value(wid), Value(width), Value(height), Value(encoding), Value(data)};
}

WindowIcon WindowIcon::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  return WindowIcon{f.integer(1, "wid"), f.integer(2, "w"), f.integer(3, "h"),
                    f.bytes(4, "encoding"), f.bytes(5, "data")};
}

Packet BufferRefresh::toPacket() const {
  Packet p{Value(kType), Value(wid), Value(unused), Value(quality)};
  if (extra) {
    p.emplace_back(extra->options);
    p.emplace_back(extra->clientProperties);
  }
  return p;
}

BufferRefresh BufferRefresh::fromPacket(const Packet& p) {
  Fields f(p, kType, 3);
  BufferRefresh r;
  r.wid = f.integer(1, "wid");
  r.unused = f.integer(2, "unused");
  r.quality = f.integer(3, "quality");
  if (f.has(5))
    r.extra = Extra{f.dictOrEmpty(4, "options"), f.dictOrEmpty(5, "client_properties")};
  else if (f.has(4))
    f.dictOrEmpty(4, "options");  // checked; 3.1.3 ignores a lone options dict
  return r;
}

Packet UnmapWindow::toPacket() const {
  Packet p{Value(kType), Value(wid)};
  if (iconified || state)
    p.emplace_back(iconified.value_or(false));
  if (state)
    p.emplace_back(*state);
  return p;
}

UnmapWindow UnmapWindow::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return UnmapWindow{f.integer(1, "wid"), f.optBoolean(2, "iconified"), f.optDict(3, "state")};
}

Packet ConfigureWindow::toPacket() const {
  Packet p{Value(kType),
           Value(wid),
           Value(x),
           Value(y),
           Value(width),
           Value(height),
           Value(clientProperties),
           Value(resizeCounter),
           Value(state),
           Value(skipGeometry)};
  if (pointer) {
    p.emplace_back(pointer->wid);
    p.emplace_back(Value::List{Value(pointer->x), Value(pointer->y)});
    p.push_back(detail::stringList(pointer->modifiers));
  }
  return p;
}

ConfigureWindow ConfigureWindow::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  ConfigureWindow c;
  c.wid = f.integer(1, "wid");
  c.x = f.integer(2, "x");
  c.y = f.integer(3, "y");
  c.width = f.integer(4, "w");
  c.height = f.integer(5, "h");
  if (auto props = f.optDict(6, "client_properties"))
    c.clientProperties = *props;
  c.resizeCounter = f.optInteger(7, "resize_counter").value_or(0);
  if (auto st = f.optDict(8, "state"))
    c.state = *st;
  c.skipGeometry = f.optBoolean(9, "skip_geometry").value_or(false);
  if (f.has(11)) {
    Pointer ptr;
    ptr.wid = f.integer(10, "pointer_wid");
    const Value::List& pos = f.list(11, "pointer");
    if (pos.size() < 2 || !pos[0].isInt() || !pos[1].isInt()) {
      throw ProtocolError("configure-window: field 'pointer' (11): expected [x, y]");
    }
    ptr.x = pos[0].asInt();
    ptr.y = pos[1].asInt();
    if (f.has(12))
      ptr.modifiers = f.strings(12, "modifiers");
    c.pointer = std::move(ptr);
  }
  return c;
}

Packet CloseWindow::toPacket() const {
  return {Value(kType), Value(wid)};
}

CloseWindow CloseWindow::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return CloseWindow{f.integer(1, "wid")};
}

Packet Focus::toPacket() const {
  return {Value(kType), Value(wid), detail::stringList(modifiers)};
}

Focus Focus::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  Focus focus{f.integer(1, "wid"), {}};
  if (f.has(2) && !f.any(2, "modifiers").isNone())
    focus.modifiers = f.strings(2, "modifiers");
  return focus;
}

}  // namespace rdk::protocol
