// libFuzzer target: what a peer sends to the proxy's ws:// and wss:// binds (kernel/proxy,
// ws_codec.cpp) and what a session's ws bind answers. The first byte picks the reader: 0 a
// request head (client -> proxy), 1 a response head (session -> proxy), 2 frames from a client
// (masked), 3 frames from a session (unmasked); the rest is the input.
//
// Checked, besides no crash, leak or undefined behaviour: a head's length never exceeds the
// input or the limit and parsing it leaves well-formed fields; a decoded frame consumed no more
// than the input, its payload is within the limit, control frames are short and final, and the
// frame encoded again by the proxy decodes to the same thing; bad frames throw WsError with a
// close code RFC 6455 defines (1002, 1009), nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rdk/proxy/ws_codec.h"

using namespace rdk::proxy::ws;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

void heads(std::string_view data, bool request) {
  size_t length = 0;
  try {
    length = headLength(data, 4096);
  } catch (const std::runtime_error&) {
    check(data.size() >= 4096);
    return;
  }
  check(length <= data.size() && length <= 4096);
  if (length == 0)
    return;
  HttpHead head;
  std::string error;
  const bool ok = request ? parseRequest(data.substr(0, length), &head, &error)
                          : parseResponse(data.substr(0, length), &head, &error);
  if (!ok) {
    check(!error.empty() || (request && head.target.empty()) || !request);
    return;
  }
  if (request) {
    check(!head.target.empty() && head.target.find(' ') == std::string::npos);
    (void)isUpgrade(head);
    const std::string key = head.get("Sec-WebSocket-Key");
    check(acceptKey(key).size() == 28);
  } else {
    check(head.status >= 100 && head.status < 600);
  }
  for (const auto& [name, value] : head.headers)
    check(!name.empty() && name.find(':') == std::string::npos &&
          value.find("\r\n") == std::string::npos);
}

void frames(std::string_view data, bool masked) {
  constexpr size_t kMax = 4096;
  while (!data.empty()) {
    Frame frame;
    size_t used = 0;
    try {
      used = decodeFrame(data, masked, kMax, &frame);
    } catch (const WsError& e) {
      check(e.code == 1002 || e.code == 1009);
      return;
    }
    if (used == 0)
      return;
    check(used <= data.size() && frame.payload.size() <= kMax && frame.opcode <= kPong);
    if (frame.opcode >= kClose)
      check(frame.payload.size() <= 125 && frame.fin);
    const std::string again = encodeFrame(frame.opcode, frame.payload, !masked, frame.fin);
    Frame back;
    check(decodeFrame(again, !masked, kMax, &back) == again.size());
    check(back.payload == frame.payload && back.opcode == frame.opcode && back.fin == frame.fin);
    data.remove_prefix(used);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0)
    return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  switch (bytes[0] & 3) {
    case 0:
      heads(data, true);
      break;
    case 1:
      heads(data, false);
      break;
    case 2:
      frames(data, true);
      break;
    default:
      frames(data, false);
      break;
  }
  return 0;
}
