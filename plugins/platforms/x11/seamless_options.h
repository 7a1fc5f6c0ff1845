// Options of the x11 platform's seamless mode (open(.., "seamless", options)), from a JSON object.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdk::x11 {

struct SeamlessOptions {
  /// The command that starts the virtual display, as Xpra's --xvfb. The display (":N") is appended,
  /// or, when `display` is empty, "-displayfd FD" so that Xvfb picks a free number itself.
  /// "{W}" and "{H}" are replaced by the screen size. Empty: start nothing and manage `display`,
  /// which must then be running and have no window manager.
  static constexpr const char* kDefaultXvfb =
      "Xvfb +extension Composite +extension RANDR -screen 0 {W}x{H}x24 -nolisten tcp -noreset";
  std::string xvfb = kDefaultXvfb;
  std::string display;                   // ":N"; empty = the first free one (needs xvfb)
  uint32_t width = 1920, height = 1080;  // the virtual screen
  std::vector<std::string> start;        // commands run on the display once it is managed
  std::vector<std::string> startChild;   // the same, counted by exit_with_children
  bool exitWithChildren = false;         // poll fails with RDK_E_CLOSED once they all exited
  bool shm = true;
  int32_t maxDamageRects = 64;

  /// Throws rdk::Error(RDK_E_INVALID_ARG) naming the bad key. Unknown keys are ignored (the server
  /// passes every platform the same size and fps keys).
  static SeamlessOptions parse(const std::string& json);
};

}  // namespace rdk::x11
