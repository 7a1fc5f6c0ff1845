#include "rdk/protocol/messages/clipboard.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

namespace {

// dtype, dformat, wire_encoding, wire_data at |first|..|first|+3.
ClipboardWireData wireData(const Fields& f, size_t first) {
  ClipboardWireData d;
  d.dtype = f.bytes(first, "dtype");
  d.dformat = f.integer(first + 1, "dformat");
  d.encoding = f.bytes(first + 2, "wire_encoding");
  d.data = f.any(first + 3, "wire_data");
  if (d.dformat != 8 && d.dformat != 16 && d.dformat != 32) {
    throw ProtocolError(std::string("clipboard: field 'dformat' (") + std::to_string(first + 1) +
                        "): " + std::to_string(d.dformat) + " is not 8, 16 or 32");
  }
  if (!d.data.isBytes() && !d.data.isList()) {
    throw ProtocolError("clipboard: field 'wire_data' (" + std::to_string(first + 3) +
                        "): expected bytes or list, got " + Value::typeName(d.data.type()));
  }
  return d;
}

void appendWire(Packet& p, const ClipboardWireData& d) {
  p.emplace_back(d.dtype);
  p.emplace_back(d.dformat);
  p.emplace_back(d.encoding);
  p.push_back(d.data);
}

}  // namespace

Packet ClipboardToken::toPacket() const {
  Packet p{Value(kType), Value(selection)};
  if (!targets && !data)
    return p;
  p.push_back(detail::stringList(targets.value_or(std::vector<std::string>{})));
  if (!data)
    return p;
  p.emplace_back(target);
  appendWire(p, *data);
  p.emplace_back(claim);
  p.emplace_back(greedy);
  p.emplace_back(synchronous);
  return p;
}

ClipboardToken ClipboardToken::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  ClipboardToken t;
  t.selection = f.bytes(1, "selection");
  if (f.has(2) && !f.any(2, "targets").isNone())
    t.targets = f.strings(2, "targets");
  if (f.argCount() >= 7 && f.any(3, "target").isBytes() && !f.bytes(3, "target").empty()) {
    t.target = f.bytes(3, "target");
    t.data = wireData(f, 4);
  }
  if (f.argCount() >= 9) {
    t.claim = f.boolean(8, "claim");
    t.greedy = f.boolean(9, "greedy");
  }
  t.synchronous = f.optBoolean(10, "synchronous").value_or(false);
  return t;
}

Packet ClipboardRequest::toPacket() const {
  return {Value(kType), Value(requestId), Value(selection), Value(target)};
}

ClipboardRequest ClipboardRequest::fromPacket(const Packet& p) {
  Fields f(p, kType, 3);
  return {f.integer(1, "request_id"), f.bytes(2, "selection"), f.bytes(3, "target")};
}

Packet ClipboardContents::toPacket() const {
  Packet p{Value(kType), Value(requestId), Value(selection)};
  appendWire(p, data);
  if (truncated)
    p.emplace_back(*truncated);
  return p;
}

ClipboardContents ClipboardContents::fromPacket(const Packet& p) {
  Fields f(p, kType, 6);
  ClipboardContents c;
  c.requestId = f.integer(1, "request_id");
  c.selection = f.bytes(2, "selection");
  c.data = wireData(f, 3);
  c.truncated = f.optInteger(7, "truncated");
  return c;
}

Packet ClipboardContentsNone::toPacket() const {
  return {Value(kType), Value(requestId), Value(selection)};
}

ClipboardContentsNone ClipboardContentsNone::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return {f.integer(1, "request_id"), f.optBytes(2, "selection").value_or("")};
}

Packet ClipboardEnableSelections::toPacket() const {
  return {Value(kType), detail::stringList(selections)};
}

ClipboardEnableSelections ClipboardEnableSelections::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return {f.strings(1, "selections")};
}

Packet ClipboardPendingRequests::toPacket() const {
  return {Value(kType), Value(pending)};
}

ClipboardPendingRequests ClipboardPendingRequests::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return {f.integer(1, "pending")};
}

Packet ClipboardLoopUuids::toPacket() const {
  return {Value(kType), Value(uuids)};
}

ClipboardLoopUuids ClipboardLoopUuids::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return {f.dictOrEmpty(1, "loop_uuids")};
}

Packet SetClipboardEnabled::toPacket() const {
  Packet p{Value(kType), Value(enabled)};
  if (reason)
    p.emplace_back(*reason);
  return p;
}

SetClipboardEnabled SetClipboardEnabled::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return {f.boolean(1, "enabled"), f.optBytes(2, "reason")};
}

}  // namespace rdk::protocol
