// The little of HTTP/1.1 and WebSocket (RFC 6455) the proxy's ws:// and wss:// binds need, without
// sockets so that it is tested (and fuzzable) alone: reading a request or response head, the
// Sec-WebSocket-Accept value, and encoding/decoding frames.
//
// The proxy passes WebSocket connections through (docs/deploy.md, "WebSocket"): it answers the
// client's upgrade itself and reads frames only until the client is authenticated and the
// session's own ws bind has accepted the proxy; after that, frames cross unchanged both ways.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rdk::proxy::ws {

struct WsError : std::runtime_error {
  WsError(uint16_t closeCode, const std::string& what)
      : std::runtime_error(what), code(closeCode) {}
  uint16_t code;  // the close code to send (1002 protocol error, 1009 too big)
};

struct HttpHead {
  std::string method, target;  // requests
  int status = 0;              // responses
  std::vector<std::pair<std::string, std::string>> headers;
  /// The value of header |name| (case-insensitive), empty when absent.
  std::string get(std::string_view name) const;
};

/// Length of the head (through the empty line) at the front of |data|; 0 while incomplete.
/// Throws std::runtime_error when no head ends within |maxBytes|.
size_t headLength(std::string_view data, size_t maxBytes);
/// "GET /path HTTP/1.1" + headers; false with |error| when malformed.
bool parseRequest(std::string_view head, HttpHead* out, std::string* error);
/// "HTTP/1.1 101 Switching Protocols" + headers.
bool parseResponse(std::string_view head, HttpHead* out, std::string* error);
/// Whether a request asks for a WebSocket (Upgrade: websocket).
bool isUpgrade(const HttpHead& request);

/// base64(sha1(key + RFC 6455 GUID)).
std::string acceptKey(const std::string& key);
/// A fresh random Sec-WebSocket-Key (16 random bytes, base64).
std::string randomKey();

enum Opcode : uint8_t {
  kContinuation = 0,
  kText = 1,
  kBinary = 2,
  kClose = 8,
  kPing = 9,
  kPong = 10
};

/// One frame: masked with a random key when |mask| (a client's frames), else unmasked.
std::string encodeFrame(uint8_t opcode, std::string_view payload, bool mask, bool fin = true);
/// A close frame with |code| and a reason cut to fit a control frame.
std::string encodeClose(uint16_t code, const std::string& reason, bool mask);

struct Frame {
  bool fin = true;
  uint8_t opcode = 0;
  std::string payload;  // unmasked
};

/// Decodes the frame at the front of |data|: its length in bytes, 0 while incomplete. |masked|:
/// whether the peer must mask (a server reads masked frames, a client unmasked ones). Throws
/// WsError on reserved bits, unknown opcodes, bad control frames, a wrong mask bit or a payload
/// above |maxPayload|.
size_t decodeFrame(std::string_view data, bool masked, size_t maxPayload, Frame* out);

}  // namespace rdk::proxy::ws
