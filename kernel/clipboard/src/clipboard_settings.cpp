#include "rdk/clipboard/clipboard_settings.h"

namespace rdk::clipboard {

std::optional<Direction> parseDirection(std::string_view text) {
  if (text == "both")
    return Direction::Both;
  if (text == "to-server")
    return Direction::ToServer;
  if (text == "to-client")
    return Direction::ToClient;
  if (text == "disabled" || text == "none")
    return Direction::Disabled;
  return std::nullopt;
}

const char* toString(Direction d) {
  switch (d) {
    case Direction::Both:
      return "both";
    case Direction::ToServer:
      return "to-server";
    case Direction::ToClient:
      return "to-client";
    case Direction::Disabled:
      return "disabled";
  }
  return "disabled";
}

Direction intersect(Direction a, Direction b) {
  if (a == Direction::Both)
    return b;
  if (b == Direction::Both || a == b)
    return a;
  return Direction::Disabled;
}

bool Settings::canSend() const {
  if (side == Side::Server)
    return direction == Direction::Both || direction == Direction::ToClient;
  return direction == Direction::Both || direction == Direction::ToServer;
}

bool Settings::canReceive() const {
  if (side == Side::Server)
    return direction == Direction::Both || direction == Direction::ToServer;
  return direction == Direction::Both || direction == Direction::ToClient;
}

}  // namespace rdk::clipboard
