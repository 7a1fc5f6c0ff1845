// clipboard.direction and clipboard.max-size, and what they allow on each side.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdk::clipboard {

// Xpra's --clipboard-direction: which way contents may travel, named from the server's view.
enum class Direction { Both, ToServer, ToClient, Disabled };

std::optional<Direction> parseDirection(std::string_view text);
const char* toString(Direction d);
// The directions both ends allow (a client set to "both" facing a "to-server" server: to-server).
Direction intersect(Direction a, Direction b);

enum class Side { Server, Client };

struct Settings {
  Side side = Side::Server;
  Direction direction = Direction::Both;
  size_t maxSize = 4u << 20;  // bytes of one selection's contents, each way
  std::vector<std::string> selections{"CLIPBOARD", "PRIMARY"};
  uint64_t remoteTimeoutUs = 1'500'000;  // Xpra's REMOTE_TIMEOUT
  uint64_t localTimeoutUs = 2'000'000;   // a local owner that never answers
  size_t compressThreshold = 512;        // Xpra's MIN_CLIPBOARD_COMPRESS_SIZE

  // This side may send local contents to the peer / take the peer's contents.
  bool canSend() const;
  bool canReceive() const;
};

}  // namespace rdk::clipboard
