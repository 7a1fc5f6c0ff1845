// Options of the x11 platform (server: open(); client: display_open()), from a JSON object.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
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

/// Reads one configuration key through the host (config_get); nullopt when unset.
using ConfigLookup = std::function<std::optional<std::string>(const std::string& key)>;

/// |json| with the settings this plugin declares (settings.json: platform.x11.shm -> shm,
/// max-damage-rects, pointer-interval-ms) added where it does not carry them: what the kernel
/// passed wins. The kernel validated their values; a document that is not an object is returned
/// as it is, for the parser to refuse.
std::string withDeclaredSettings(const std::string& json, const ConfigLookup& config);

}  // namespace rdk::x11
