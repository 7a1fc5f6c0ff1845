#include "rdk/session/desktop.h"

#include <algorithm>

namespace rdk::session {

Desktop::Desktop(std::unique_ptr<plugin::PlatformObject> platform, std::string name)
    : platform_(std::move(platform)), name_(std::move(name)) {}

const ServerWindow* Desktop::window(uint64_t wid) const {
  auto it = windows_.find(wid);
  return it == windows_.end() ? nullptr : &it->second;
}

rdk_rect Desktop::bounds() const {
  int32_t right = 0, bottom = 0;
  for (const auto& [wid, w] : windows_) {
    if (w.kind == WindowKind::Tray)
      continue;
    right = std::max<int32_t>(right, w.geometry.x + static_cast<int32_t>(w.geometry.w));
    bottom = std::max<int32_t>(bottom, w.geometry.y + static_cast<int32_t>(w.geometry.h));
  }
  return rdk_rect{0, 0, static_cast<uint32_t>(right), static_cast<uint32_t>(bottom)};
}

uint64_t Desktop::eventCount(uint32_t type) const {
  std::lock_guard<std::mutex> lock(countsMutex_);
  auto it = eventCounts_.find(type);
  return it == eventCounts_.end() ? 0 : it->second;
}

namespace {

protocol::Value metadataOf(const rdk_window_event& event) {
  if (!event.metadata_json || !*event.metadata_json)
    return protocol::Value(protocol::Value::Dict{});
  try {
    protocol::Value value = protocol::Value::fromJson(event.metadata_json);
    if (value.isDict())
      return value;
  } catch (const std::exception&) {
    // A plugin's malformed metadata must not take the server down: the window keeps none.
  }
  return protocol::Value(protocol::Value::Dict{});
}

}  // namespace

void Desktop::onWindowEvent(const rdk_window_event& event) {
  {
    std::lock_guard<std::mutex> lock(countsMutex_);
    ++eventCounts_[event.type];
  }
  ServerWindow* window = nullptr;
  auto it = windows_.find(event.wid);
  if (it != windows_.end())
    window = &it->second;

  switch (event.type) {
    case RDK_WINDOW_NEW:
    case RDK_WINDOW_NEW_OVERRIDE_REDIRECT:
    case RDK_WINDOW_NEW_TRAY: {
      ServerWindow created;
      created.wid = event.wid;
      created.geometry = event.rect;
      created.kind = event.type == RDK_WINDOW_NEW        ? WindowKind::Normal
                     : event.type == RDK_WINDOW_NEW_TRAY ? WindowKind::Tray
                                                         : WindowKind::OverrideRedirect;
      created.metadata = metadataOf(event);
      window = &(windows_[event.wid] = std::move(created));
      break;
    }
    case RDK_WINDOW_MOVE_RESIZE:
      if (window)
        window->geometry = event.rect;
      break;
    case RDK_WINDOW_RESIZED:
      if (window) {
        window->geometry.w = event.rect.w;
        window->geometry.h = event.rect.h;
      }
      break;
    case RDK_WINDOW_METADATA:
      if (window) {
        protocol::Value changes = metadataOf(event);
        for (auto& [key, value] : changes.asDict()) {
          if (key.isBytes())
            window->metadata.set(key.asBytes(), value);
        }
      }
      break;
    case RDK_WINDOW_CURSOR:
      if (event.image) {
        CursorImage cursor;
        cursor.hotspotAndSize =
            rdk_rect{event.rect.x, event.rect.y, event.image->width, event.image->height};
        for (uint32_t row = 0; row < event.image->height; ++row) {
          cursor.pixels.append(reinterpret_cast<const char*>(event.image->pixels) +
                                   size_t{row} * event.image->stride,
                               size_t{event.image->width} * 4);
        }
        cursor_ = std::move(cursor);
      }
      break;
    case RDK_WINDOW_LOST:
      if (listener_)
        listener_(event, window);
      windows_.erase(event.wid);
      return;
    default:
      break;
  }
  if (listener_)
    listener_(event, window);
}

}  // namespace rdk::session
