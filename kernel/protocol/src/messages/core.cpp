#include "rdk/protocol/messages/core.h"

#include "fields.h"

namespace rdk::protocol {

using detail::Fields;

namespace {
Value typeValue(std::string_view type) {
  return Value(type);
}
}  // namespace

Packet Hello::toPacket() const {
  return {typeValue(kType), Value(caps)};
}

Hello Hello::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return Hello{f.dict(1, "capabilities")};
}

Packet Challenge::toPacket() const {
  return {typeValue(kType), Value(salt),       authCaps.empty() ? Value("") : Value(authCaps),
          Value(digest),    Value(saltDigest), Value(prompt)};
}

Challenge Challenge::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  Challenge c;
  c.salt = f.bytes(1, "salt");
  if (f.has(2))
    c.authCaps = f.dictOrEmpty(2, "auth_caps");
  if (auto d = f.optBytes(3, "digest"))
    c.digest = *d;
  if (auto d = f.optBytes(4, "salt_digest"))
    c.saltDigest = *d;
  if (auto d = f.optBytes(5, "prompt"))
    c.prompt = *d;
  return c;
}

Packet Disconnect::toPacket() const {
  Packet p{typeValue(kType), Value(reason)};
  for (const auto& e : extra)
    p.emplace_back(e);
  return p;
}

Disconnect Disconnect::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  Disconnect d;
  d.reason = f.bytes(1, "reason");
  for (size_t i = 2; f.has(i); ++i) {
    // Extra items are usually strings; anything else is kept as its text.
    const Value& v = f.any(i, "extra");
    d.extra.push_back(v.isBytes() ? v.asBytes() : v.debugString());
  }
  return d;
}

Packet Ping::toPacket() const {
  Packet p{typeValue(kType), Value(timeMs)};
  if (wallclockMs)
    p.emplace_back(*wallclockMs);
  return p;
}

Ping Ping::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return Ping{f.integer(1, "time"), f.optInteger(2, "wallclock")};
}

Packet PingEcho::toPacket() const {
  return {typeValue(kType), Value(echoedTimeMs), Value(load1), Value(load5),
          Value(load15),    Value(latencyMs),    Value(sid)};
}

PingEcho PingEcho::fromPacket(const Packet& p) {
  Fields f(p, kType, 5);
  PingEcho e;
  e.echoedTimeMs = f.integer(1, "echoedtime");
  e.load1 = f.integer(2, "load1");
  e.load5 = f.integer(3, "load5");
  e.load15 = f.integer(4, "load15");
  e.latencyMs = f.integer(5, "latency");
  e.sid = f.optBytes(6, "sid").value_or("");
  return e;
}

Packet SetDeflate::toPacket() const {
  return {typeValue(kType), Value(level)};
}

SetDeflate SetDeflate::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return SetDeflate{f.integer(1, "level")};
}

Packet StartupComplete::toPacket() const {
  return {typeValue(kType)};
}

StartupComplete StartupComplete::fromPacket(const Packet& p) {
  Fields f(p, kType, 0);
  return StartupComplete{};
}

Packet InfoRequest::toPacket() const {
  return {typeValue(kType), detail::stringList(uuids), detail::intList(wids),
          detail::stringList(categories)};
}

InfoRequest InfoRequest::fromPacket(const Packet& p) {
  Fields f(p, kType, 0);
  InfoRequest r;
  if (f.has(1))
    r.uuids = f.strings(1, "uuids");
  if (f.has(2))
    r.wids = f.integers(2, "wids");
  if (f.has(3))
    r.categories = f.strings(3, "categories");
  return r;
}

Packet InfoResponse::toPacket() const {
  return {typeValue(kType), Value(info)};
}

InfoResponse InfoResponse::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return InfoResponse{f.dict(1, "info")};
}

Packet SettingChange::toPacket() const {
  return {typeValue(kType), Value(setting), value};
}

SettingChange SettingChange::fromPacket(const Packet& p) {
  Fields f(p, kType, 2);
  return SettingChange{f.bytes(1, "setting"), f.any(2, "value")};
}

Packet ServerEvent::toPacket() const {
  Packet p{typeValue(kType), Value(event)};
  p.insert(p.end(), args.begin(), args.end());
  return p;
}

ServerEvent ServerEvent::fromPacket(const Packet& p) {
  Fields f(p, kType, 1);
  return ServerEvent{f.bytes(1, "event"), f.rest(2)};
}

Packet connectionLostPacket() {
  return {Value(kConnectionLostType)};
}

Packet failurePacket(const ProtocolFailure& failure) {
  return {Value(failure.kind == ProtocolFailure::Kind::Gibberish ? kGibberishType : kInvalidType),
          Value(failure.message)};
}

}  // namespace rdk::protocol
