// Keyboard layout packets, client -> server (Xpra 3.1.3 server/mixins/input_server.py).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

// [layout, variant(, options)]: the user switched layouts.
struct LayoutChanged {
  static constexpr std::string_view kType = "layout-changed";
  std::string layout;
  std::string variant;
  std::optional<std::string> options;
  Packet toPacket() const;
  static LayoutChanged fromPacket(const Packet& p);
  bool operator==(const LayoutChanged&) const = default;
};

// [props{xkbmap_layout, xkbmap_variant, xkbmap_options, xkbmap_query, ...}(, force(, ...))]:
// the client's whole keymap description, as in its hello.
struct KeymapChanged {
  static constexpr std::string_view kType = "keymap-changed";
  Value::Dict properties;
  bool force = false;
  Packet toPacket() const;
  static KeymapChanged fromPacket(const Packet& p);
  bool operator==(const KeymapChanged&) const = default;
};

// [wid, keyname, keyval, keycode, modifiers[](, group)]: a key is still held (clients with
// keyboard_sync). The server's own auto-repeat runs, so this only confirms the key is down.
struct KeyRepeat {
  static constexpr std::string_view kType = "key-repeat";
  int64_t wid = 0;
  std::string keyname;
  int64_t keyval = 0;
  int64_t keycode = 0;
  std::vector<std::string> modifiers;
  Packet toPacket() const;
  static KeyRepeat fromPacket(const Packet& p);
  bool operator==(const KeyRepeat&) const = default;
};

}  // namespace rdk::protocol
