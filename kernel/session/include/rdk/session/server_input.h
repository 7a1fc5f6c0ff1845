// Input from a client to the captured desktop: key-action, button-action and pointer-position
// become rdk_input_events for the platform. Xpra sends root coordinates and modifier names; our
// platforms take window coordinates and an X modifier mask.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/input.h"

namespace rdk::session {

class Desktop;

/// Where input goes: the platform, and the window geometry to translate coordinates.
class InputTarget {
 public:
  virtual ~InputTarget() = default;
  /// The window's geometry in root coordinates; nullopt for an unknown window.
  virtual std::optional<rdk_rect> windowGeometry(uint64_t wid) const = 0;
  virtual bool inject(const rdk_input_event& event, std::string* error) = 0;
};

/// The captured desktop as an InputTarget.
class DesktopInputTarget final : public InputTarget {
 public:
  explicit DesktopInputTarget(Desktop& desktop) : desktop_(desktop) {}
  std::optional<rdk_rect> windowGeometry(uint64_t wid) const override;
  bool inject(const rdk_input_event& event, std::string* error) override;

 private:
  Desktop& desktop_;
};

class ServerInput {
 public:
  explicit ServerInput(InputTarget& target) : target_(target) {}

  void registerWith(protocol::MessageDispatcher& dispatcher);
  void onKey(const protocol::KeyAction& key);
  void onButton(const protocol::ButtonAction& button);
  void onPointer(const protocol::PointerPosition& pointer);

  /// Events passed to the platform, accepted or not.
  uint64_t events() const { return events_; }
  /// The platform's reason for the last event it refused; empty when none was refused.
  const std::string& lastError() const { return lastError_; }

  /// Xpra's modifier names ("shift", "lock", "control", "mod1".."mod5") as an X modifier mask;
  /// other names are ignored.
  static uint32_t modifierMask(const std::vector<std::string>& names);

 private:
  void pointer(uint32_t type, int64_t wid, int64_t x, int64_t y,
               const std::vector<std::string>& modifiers, int64_t button, bool pressed);
  void inject(const rdk_input_event& event);

  InputTarget& target_;
  uint64_t events_ = 0;
  std::string lastError_;
};

}  // namespace rdk::session
