// The X pointer's current shape (XFixes) as an rdk cursor event's parts: BGRA pixels, the
// hotspot and size, and the metadata both x11 platforms send with it.
#pragma once

#include <X11/Xlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"

namespace rdk::x11 {

struct CursorImage {
  std::vector<uint8_t> pixels;  // BGRA, what |image| points into
  rdk_image image{};
  rdk_rect hotspotAndSize{};
  std::string metadataJson;  // {"name":...,"serial":...}
};

/// Reads the cursor of |display| into |out|; false when there is none right now (hidden).
bool readCursorImage(Display* display, CursorImage& out);

}  // namespace rdk::x11
