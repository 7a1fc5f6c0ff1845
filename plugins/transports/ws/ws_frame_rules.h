// What the ws transport does with one received WebSocket frame, from its header flags, payload
// size and whether a fragmented message is open (RFC 6455 section 5). Apart from the socket so
// that the rules are fuzzed (tests/fuzz/fuzz_ws_http.cpp) and read in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rdk::ws {

struct FrameVerdict {
  enum class Action {
    kData,   // binary payload (a first frame or a continuation): deliver it
    kPing,   // answer with a pong carrying the same payload
    kPong,   // nothing to do
    kClose,  // the peer closes (payload: optional code and reason)
    kRefuse  // protocol violation: close with |code| and |reason|
  };
  Action action = Action::kRefuse;
  uint16_t code = 0;       // kRefuse: the close code to send
  std::string reason;      // kRefuse: why, for the close frame and the log
  bool inMessage = false;  // kData: whether a fragmented message stays open after this frame
};

/// |flags| as Poco::Net::WebSocket::receiveFrame reports them (FIN, RSV1-3, opcode).
FrameVerdict judgeFrame(int flags, size_t size, bool inMessage);

}  // namespace rdk::ws
