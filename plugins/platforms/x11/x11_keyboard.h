// The keyboard layout of an X display, as Xpra's hello describes it (xkbmap_layout, _variant,
// _options, _model): read from the root window's _XKB_RULES_NAMES on the client, applied with
// setxkbmap (x11-xkb-utils) on the server, as Xpra 3.1.3's server does (xkbhelper.py).
#pragma once

#include <string>

namespace rdk::x11 {

struct KeyboardLayout {
  std::string rules, model, layout, variant, options;
  int repeatDelayMs = 0, repeatIntervalMs = 0;  // 0: not said / leave as it is
  /// {"rules":..,"model":..,"layout":..,"variant":..,"options":..,"repeat_delay":..,
  /// "repeat_interval":..}
  std::string toJson() const;
  /// From the JSON the kernel passes (keys as above; missing keys stay empty). Throws
  /// rdk::Error(RDK_E_INVALID_ARG) on bad JSON or a value with characters setxkbmap would not take.
  static KeyboardLayout fromJson(const std::string& json);
};

/// The display's current layout (empty fields when it does not say).
KeyboardLayout queryLayout(const std::string& display);
/// Runs setxkbmap on |display| (when a layout is given) and sets the key repeat rate (when given,
/// Xpra's key_repeat); throws rdk::Error with setxkbmap's output when it fails.
void applyLayout(const std::string& display, const KeyboardLayout& layout);

}  // namespace rdk::x11
