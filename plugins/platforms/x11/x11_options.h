// Options of the x11 platform (server: open(); client: display_open()), from a JSON object.
#pragma once

#include <cstdint>
#include <string>

namespace rdk::x11 {

struct X11Options {
  std::string display;             // ":N"; empty = $DISPLAY
  bool shm = true;                 // use MIT-SHM when the display allows it
  int32_t maxDamageRects = 64;     // more rectangles in one poll are merged into their bounding box
  int32_t pointerIntervalMs = 10;  // server: how often the pointer position is queried

  /// Throws rdk::Error(RDK_E_INVALID_ARG) naming the bad key.
  static X11Options parse(const std::string& json);
};

}  // namespace rdk::x11
