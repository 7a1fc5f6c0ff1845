#include "rdk/session/server_input.h"

#include "rdk/session/desktop.h"

namespace rdk::session {

std::optional<rdk_rect> DesktopInputTarget::windowGeometry(uint64_t wid) const {
  const ServerWindow* window = desktop_.window(wid);
  if (!window)
    return std::nullopt;
  return window->geometry;
}

bool DesktopInputTarget::inject(const rdk_input_event& event, std::string* error) {
  desktop_.noteInput();
  return desktop_.platform().inject(event, error);
}

uint32_t ServerInput::modifierMask(const std::vector<std::string>& names) {
  static const char* const kOrder[] = {"shift", "lock", "control", "mod1",
                                       "mod2",  "mod3", "mod4",    "mod5"};
  uint32_t mask = 0;
  for (const std::string& n : names) {
    for (uint32_t bit = 0; bit < 8; ++bit) {
      if (n == kOrder[bit])
        mask |= 1u << bit;
    }
  }
  return mask;
}

void ServerInput::registerWith(protocol::MessageDispatcher& d) {
  d.on<protocol::KeyAction>([this](const protocol::KeyAction& k) { onKey(k); });
  d.on<protocol::ButtonAction>([this](const protocol::ButtonAction& b) { onButton(b); });
  d.on<protocol::PointerPosition>([this](const protocol::PointerPosition& p) { onPointer(p); });
}

void ServerInput::onKey(const protocol::KeyAction& key) {
  rdk_input_event event{};
  event.struct_size = sizeof(event);
  event.type = RDK_INPUT_KEY;
  event.wid = static_cast<uint64_t>(key.wid);
  event.keyname = key.keyname.c_str();
  event.pressed = key.pressed ? 1 : 0;
  event.modifiers = modifierMask(key.modifiers);
  event.keyval = static_cast<uint32_t>(key.keyval);
  event.keycode = static_cast<uint32_t>(key.keycode);
  inject(event);
}

void ServerInput::onButton(const protocol::ButtonAction& b) {
  pointer(RDK_INPUT_BUTTON, b.wid, b.x, b.y, b.modifiers, b.button, b.pressed);
}

void ServerInput::onPointer(const protocol::PointerPosition& p) {
  pointer(RDK_INPUT_MOTION, p.wid, p.x, p.y, p.modifiers, 0, false);
}

void ServerInput::pointer(uint32_t type, int64_t wid, int64_t x, int64_t y,
                          const std::vector<std::string>& modifiers, int64_t button, bool pressed) {
  rdk_input_event event{};
  event.struct_size = sizeof(event);
  event.type = type;
  event.wid = static_cast<uint64_t>(wid);
  const std::optional<rdk_rect> geometry = target_.windowGeometry(event.wid);
  event.x = static_cast<int32_t>(x) - (geometry ? geometry->x : 0);
  event.y = static_cast<int32_t>(y) - (geometry ? geometry->y : 0);
  event.button = static_cast<uint32_t>(button);
  event.pressed = pressed ? 1 : 0;
  event.modifiers = modifierMask(modifiers);
  inject(event);
}

void ServerInput::inject(const rdk_input_event& event) {
  ++events_;
  std::string error;
  if (!target_.inject(event, &error))
    lastError_ = error;
}

}  // namespace rdk::session
