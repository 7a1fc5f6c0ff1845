#include "rdk/session/client_input.h"

#include <algorithm>

#include "rdk/protocol/messages/input.h"

namespace rdk::session {

void InputForwarder::synthetic(uint64_t nowUs) {
  if (nowUs < nextUs_)
    return;
  nextUs_ = nowUs + kSyntheticIntervalUs;
  const ClientWindow* target = nullptr;
  for (const auto& [wid, w] : windows_.windows()) {
    if (w.kind == WindowKind::Normal) {
      target = &w;
      break;
    }
  }
  if (!target)
    return;
  const int64_t wid = static_cast<int64_t>(target->wid);
  const uint64_t step = step_++;
  const int32_t px =
      target->geometry.x + static_cast<int32_t>((step * 37) % std::max(1u, target->geometry.w));
  const int32_t py =
      target->geometry.y + static_cast<int32_t>((step * 23) % std::max(1u, target->geometry.h));
  sink_.send(protocol::PointerPosition{wid, px, py, std::nullopt, {}, {}, false},
             Delivery::Droppable, kMotionKey);
  if (step % 8 == 0) {
    static const char* kKeys[] = {"r", "d", "k", "space"};
    const char* key = kKeys[(step / 8) % 4];
    for (bool pressed : {true, false})
      sink_.send(protocol::KeyAction{wid, key, pressed, {}, 0, key, 0, 0});
  }
  if (step % 8 == 4) {
    for (bool pressed : {true, false})
      sink_.send(protocol::ButtonAction{wid, 1, pressed, px, py, {}, {}, {}});
  }
}

void InputForwarder::local(const rdk_input_event& event) {
  const ClientWindow* window = windows_.find(event.wid);
  const int64_t x = int64_t{event.x} + (window ? window->geometry.x : 0);
  const int64_t y = int64_t{event.y} + (window ? window->geometry.y : 0);
  const int64_t wid = static_cast<int64_t>(event.wid);
  switch (event.type) {
    case RDK_INPUT_KEY:
      sink_.send(protocol::KeyAction{wid,
                                     event.keyname ? event.keyname : "",
                                     event.pressed != 0,
                                     {},
                                     event.keyval,
                                     "",
                                     event.keycode,
                                     0});
      break;
    case RDK_INPUT_BUTTON:
      sink_.send(protocol::ButtonAction{wid, event.button, event.pressed != 0, x, y, {}, {}, {}});
      break;
    case RDK_INPUT_MOTION:
      sink_.send(protocol::PointerPosition{wid, x, y, std::nullopt, {}, {}, false},
                 Delivery::Droppable, kMotionKey);
      break;
    default:
      break;
  }
}

}  // namespace rdk::session
