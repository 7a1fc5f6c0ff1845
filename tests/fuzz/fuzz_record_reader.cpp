// libFuzzer target: the record reader on arbitrary streams, fed in pieces whose sizes come from
// the input, with every decoded packet pushed through the typed-message parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rdk/protocol/protocol.h"

using namespace rdk::protocol;

namespace {

template <typename M>
void tryParse(const Packet& p) {
  if (p[0].asBytes() != M::kType)
    return;
  try {
    M m = M::fromPacket(p);
    (void)m.toPacket();
  } catch (const ProtocolError&) {
  }
}

void parseTyped(Packet&& p) {
  tryParse<Hello>(p);
  tryParse<Challenge>(p);
  tryParse<Disconnect>(p);
  tryParse<Ping>(p);
  tryParse<PingEcho>(p);
  tryParse<SetDeflate>(p);
  tryParse<NewWindow>(p);
  tryParse<NewTray>(p);
  tryParse<WindowMoveResize>(p);
  tryParse<MapWindow>(p);
  tryParse<UnmapWindow>(p);
  tryParse<ConfigureWindow>(p);
  tryParse<Focus>(p);
  tryParse<Draw>(p);
  tryParse<DamageSequence>(p);
  tryParse<KeyAction>(p);
  tryParse<ButtonAction>(p);
  tryParse<PointerPosition>(p);
  tryParse<Cursor>(p);
  tryParse<Bell>(p);
  tryParse<SoundData>(p);
  tryParse<InfoRequest>(p);
  if (p.size() > 1 && p[1].isDict()) {
    Capabilities caps(p[1].asDict());
    (void)chooseEncoding(caps);
    (void)chooseCompression(caps);
    (void)caps.aliases();
    (void)caps.getStringList("encodings.core");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  const size_t piece = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  RecordReader reader;
  reader.setMaxPacketSize(1 << 20);
  reader.setAliases({{1, "hello"}, {35, "draw"}, {13, "ping"}});
  while (!input.empty()) {
    std::string_view chunk = input.substr(0, piece);
    input.remove_prefix(chunk.size());
    if (reader.feed(chunk, parseTyped))
      break;
  }
  return 0;
}
