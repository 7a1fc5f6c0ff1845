// The keyboard layout as Xpra 3.1.3 describes it: the client's hello keys xkbmap_layout,
// xkbmap_variant, xkbmap_options (and xkbmap_query, setxkbmap -query's text, when those are
// empty), the layout-changed and keymap-changed packets, and the JSON the platform ABI carries
// (keyboard_set / keyboard_query: {"layout":..,"variant":..,"options":..,"model":..}).
#pragma once

#include <string>

#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/value.h"

namespace rdk::session {

struct KeyboardLayoutSpec {
  std::string layout, variant, options, model, rules;
  int repeatDelayMs = 0, repeatIntervalMs = 0;  // Xpra's key_repeat; 0: not said
  bool empty() const { return layout.empty() && repeatDelayMs <= 0; }
  std::string toJson() const;
  static KeyboardLayoutSpec fromJson(const std::string& json);
  bool operator==(const KeyboardLayoutSpec&) const = default;
};

/// From a hello or a keymap-changed dictionary.
KeyboardLayoutSpec keyboardLayoutFromCaps(const protocol::Capabilities& caps);
/// "rules: evdev\nmodel: pc105\nlayout: de\n..." (setxkbmap -query).
KeyboardLayoutSpec parseXkbQuery(const std::string& query);
/// The client's hello keys for |layout| (xkbmap_layout, _variant, _options, _query, key_repeat;
/// keyboard_sync off: we send no key-repeat packets, the server's own auto-repeat runs).
void addKeyboardCaps(protocol::Value& caps, const KeyboardLayoutSpec& layout);

}  // namespace rdk::session
