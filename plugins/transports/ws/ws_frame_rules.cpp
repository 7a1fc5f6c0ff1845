#include "ws_frame_rules.h"

#include <Poco/Net/WebSocket.h>

namespace rdk::ws {

using Poco::Net::WebSocket;

namespace {

FrameVerdict refuse(uint16_t code, std::string reason) {
  FrameVerdict v;
  v.action = FrameVerdict::Action::kRefuse;
  v.code = code;
  v.reason = std::move(reason);
  return v;
}

FrameVerdict act(FrameVerdict::Action action, bool inMessage = false) {
  FrameVerdict v;
  v.action = action;
  v.inMessage = inMessage;
  return v;
}

}  // namespace

FrameVerdict judgeFrame(int flags, size_t size, bool inMessage) {
  if (flags &
      (WebSocket::FRAME_FLAG_RSV1 | WebSocket::FRAME_FLAG_RSV2 | WebSocket::FRAME_FLAG_RSV3))
    return refuse(1002, "reserved bits are set and no extension was negotiated");
  const bool fin = (flags & WebSocket::FRAME_FLAG_FIN) != 0;
  const int opcode = flags & WebSocket::FRAME_OP_BITMASK;
  const bool control = (opcode & 0x8) != 0;
  if (control && !fin)
    return refuse(1002, "a control frame is fragmented");
  if (control && size > 125)
    return refuse(1002, "a control frame is longer than 125 bytes");
  switch (opcode) {
    case WebSocket::FRAME_OP_CONT:
      if (!inMessage)
        return refuse(1002, "a continuation frame arrived with no message to continue");
      return act(FrameVerdict::Action::kData, !fin);
    case WebSocket::FRAME_OP_BINARY:
      if (inMessage)
        return refuse(1002, "a new message started before the previous one ended");
      return act(FrameVerdict::Action::kData, !fin);
    case WebSocket::FRAME_OP_TEXT:
      return refuse(1003, "text frames are not accepted: Xpra packets travel in binary frames");
    case WebSocket::FRAME_OP_PING:
      return act(FrameVerdict::Action::kPing, inMessage);
    case WebSocket::FRAME_OP_PONG:
      return act(FrameVerdict::Action::kPong, inMessage);
    case WebSocket::FRAME_OP_CLOSE:
      if (size == 1)
        return refuse(1002, "a close frame carries a 1-byte payload");
      return act(FrameVerdict::Action::kClose, inMessage);
    default:
      return refuse(1002, "unknown opcode " + std::to_string(opcode));
  }
}

}  // namespace rdk::ws
