// Keyboard and pointer input (reference §5 "Input").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

// Client -> server: [wid, keyname, pressed, modifiers[], keyval, string, keycode, group].
struct KeyAction {
  static constexpr std::string_view kType = "key-action";
  int64_t wid = 0;
  std::string keyname;
  bool pressed = false;
  std::vector<std::string> modifiers;
  int64_t keyval = 0;
  std::string string;
  int64_t keycode = 0;
  int64_t group = 0;
  Packet toPacket() const;
  static KeyAction fromPacket(const Packet& p);
  bool operator==(const KeyAction&) const = default;
};

// Client -> server: [wid, button, pressed, (x, y), modifiers[], buttons[], *extra].
struct ButtonAction {
  static constexpr std::string_view kType = "button-action";
  int64_t wid = 0;
  int64_t button = 0;
  bool pressed = false;
  int64_t x = 0, y = 0;
  std::vector<std::string> modifiers;
  std::vector<int64_t> buttons;  // absent in tray packets: empty
  Value::List extra;
  Packet toPacket() const;
  static ButtonAction fromPacket(const Packet& p);
  bool operator==(const ButtonAction&) const = default;
};

// Client -> server: [wid, [x, y(, rx, ry)], modifiers[], buttons[], *extra].
// Server -> client (moves the client pointer): [wid, x, y(, rx, ry)]; `toClient` selects it.
struct PointerPosition {
  static constexpr std::string_view kType = "pointer-position";
  int64_t wid = 0;
  int64_t x = 0, y = 0;
  std::optional<std::pair<int64_t, int64_t>> relative;
  std::vector<std::string> modifiers;
  std::vector<int64_t> buttons;
  bool toClient = false;
  Packet toPacket() const;
  static PointerPosition fromPacket(const Packet& p);
  bool operator==(const PointerPosition&) const = default;
};

}  // namespace rdk::protocol
