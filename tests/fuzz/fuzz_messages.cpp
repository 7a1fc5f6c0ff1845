// libFuzzer target: typed messages' fromPacket on decoded packets.
//
// The first byte picks the real decoder (even: rencode, odd: bencode, Xpra's two packet formats);
// the rest is decoded. A list is a packet: every message type's fromPacket is tried on it with its
// own type name in slot 0, so each parser sees every field shape, not only packets that happen to
// carry its name. A dict is also read as hello capabilities. Whatever a parser accepts must
// survive toPacket -> encode -> decode -> fromPacket (the server and the client re-send what they
// parse), and the second encoding must equal the first.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rdk/protocol/protocol.h"

using namespace rdk::protocol;

namespace {

std::string encodeLike(bool bencoded, const Value& v) {
  return bencoded ? bencode(v) : rencode(v, 64);
}

Value decodeLike(bool bencoded, std::string_view bytes) {
  return bencoded ? bdecode(bytes) : rdecode(bytes);
}

template <typename M>
void tryParse(const Packet& original, bool bencoded) {
  Packet p = original;
  p[0] = Value(M::kType);
  M m;
  try {
    m = M::fromPacket(p);
  } catch (const ProtocolError&) {
    return;  // the precise error the session turns into a disconnect
  }
  // Accepted: re-encoding must give a packet the same parser accepts again, stably.
  const std::string once = encodeLike(bencoded, Value(m.toPacket()));
  const Value again = decodeLike(bencoded, once);
  M m2 = M::fromPacket(again.asList());
  const std::string twice = encodeLike(bencoded, Value(m2.toPacket()));
  if (once != twice)
    std::abort();
}

// Every typed message (kernel/protocol/include/rdk/protocol/messages): add new ones here and a
// seed in make_corpus.cpp.
void parseAll(const Packet& p, bool bencoded) {
  tryParse<Hello>(p, bencoded);
  tryParse<Challenge>(p, bencoded);
  tryParse<Disconnect>(p, bencoded);
  tryParse<Ping>(p, bencoded);
  tryParse<PingEcho>(p, bencoded);
  tryParse<SetDeflate>(p, bencoded);
  tryParse<StartupComplete>(p, bencoded);
  tryParse<InfoRequest>(p, bencoded);
  tryParse<InfoResponse>(p, bencoded);
  tryParse<SettingChange>(p, bencoded);
  tryParse<ServerEvent>(p, bencoded);
  tryParse<Draw>(p, bencoded);
  tryParse<DamageSequence>(p, bencoded);
  tryParse<KeyAction>(p, bencoded);
  tryParse<ButtonAction>(p, bencoded);
  tryParse<PointerPosition>(p, bencoded);
  tryParse<Cursor>(p, bencoded);
  tryParse<Bell>(p, bencoded);
  tryParse<SoundData>(p, bencoded);
  tryParse<SoundControl>(p, bencoded);
  tryParse<NewWindow>(p, bencoded);
  tryParse<NewOverrideRedirect>(p, bencoded);
  tryParse<NewTray>(p, bencoded);
  tryParse<RaiseWindow>(p, bencoded);
  tryParse<WindowMoveResize>(p, bencoded);
  tryParse<WindowResized>(p, bencoded);
  tryParse<WindowMetadata>(p, bencoded);
  tryParse<LostWindow>(p, bencoded);
  tryParse<MapWindow>(p, bencoded);
  tryParse<ConfigureOverrideRedirect>(p, bencoded);
  tryParse<WindowIcon>(p, bencoded);
  tryParse<BufferRefresh>(p, bencoded);
  tryParse<UnmapWindow>(p, bencoded);
  tryParse<ConfigureWindow>(p, bencoded);
  tryParse<CloseWindow>(p, bencoded);
  tryParse<Focus>(p, bencoded);
}

void readCapabilities(const Value::Dict& dict) {
  Capabilities caps(dict);
  (void)chooseEncoding(caps);
  (void)chooseCompression(caps);
  (void)caps.aliases();
  // The keys the session reads from a hello, with each getter.
  for (std::string_view key :
       {"version", "encodings", "encodings.core", "encoding", "username", "challenge_response",
        "challenge_client_salt", "digest", "salt-digest", "uuid", "desktop_size", "screen_sizes",
        "rencode", "bencode", "lz4", "zlib", "compression_level", "aliases"}) {
    (void)caps.getString(key);
    (void)caps.getInt(key);
    (void)caps.getBool(key);
    (void)caps.getStringList(key);
    (void)caps.getIntList(key);
  }
  for (const auto& [key, value] : dict) {
    if (!key.isBytes())
      continue;
    (void)caps.getString(key.asBytes());
    (void)caps.getInt(key.asBytes());
    (void)caps.getBool(key.asBytes());
    (void)caps.getStringList(key.asBytes());
    (void)caps.getIntList(key.asBytes());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  const bool bencoded = data[0] & 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  Value v;
  try {
    v = decodeLike(bencoded, bytes);
  } catch (const ProtocolError&) {
    return 0;
  }
  if (v.isDict()) {
    readCapabilities(v.asDict());
    return 0;
  }
  if (!v.isList() || v.asList().empty())
    return 0;
  const Packet& packet = v.asList();
  parseAll(packet, bencoded);
  if (packet.size() > 1 && packet[1].isDict())
    readCapabilities(packet[1].asDict());
  return 0;
}
