#include "rdk/session/client_window_mirror.h"

#include <string>

namespace rdk::session {

using protocol::Value;

void checkWindowSize(std::string_view type, int64_t width, int64_t height) {
  const int64_t limit = WindowMirror::kMaxWindowSide;
  if (width < 0 || height < 0 || width > limit || height > limit) {
    throw protocol::ProtocolError(std::string(type) + ": window size " + std::to_string(width) +
                                  "x" + std::to_string(height) + " outside 0.." +
                                  std::to_string(limit));
  }
}

void WindowMirror::registerWith(protocol::MessageDispatcher& d) {
  d.on<protocol::NewWindow>([this](const protocol::NewWindow& p) { onNewWindow(p); });
  d.on<protocol::NewOverrideRedirect>(
      [this](const protocol::NewWindow& p) { onNewWindow(p, WindowKind::OverrideRedirect); });
  d.on<protocol::NewTray>([this](const protocol::NewTray& p) { onNewTray(p); });
  d.on<protocol::LostWindow>([this](const protocol::LostWindow& p) { onLost(p); });
  d.on<protocol::RaiseWindow>([this](const protocol::RaiseWindow& p) { onRaise(p); });
  d.on<protocol::WindowMoveResize>(
      [this](const protocol::WindowMoveResize& p) { onMoveResize(p); });
  d.on<protocol::WindowResized>([this](const protocol::WindowResized& p) { onResized(p); });
  d.on<protocol::WindowMetadata>([this](const protocol::WindowMetadata& p) { onMetadata(p); });
  d.on<protocol::ConfigureOverrideRedirect>(
      [this](const protocol::ConfigureOverrideRedirect& p) { onConfigureOverrideRedirect(p); });
  d.on<protocol::Bell>([this](const protocol::Bell& p) { onBell(p); });
}

ClientWindow* WindowMirror::find(uint64_t wid) {
  auto it = windows_.find(wid);
  return it == windows_.end() ? nullptr : &it->second;
}

const ClientWindow* WindowMirror::find(uint64_t wid) const {
  auto it = windows_.find(wid);
  return it == windows_.end() ? nullptr : &it->second;
}

void WindowMirror::show(uint32_t type, const ClientWindow& window, const char* metadataJson) {
  if (!display_)
    return;
  rdk_window_event e{};
  e.struct_size = sizeof(e);
  e.type = type;
  e.wid = window.wid;
  e.rect = window.geometry;
  e.metadata_json = metadataJson;
  display_->windowEvent(e);
}

ClientWindow& WindowMirror::add(ClientWindow&& window, int64_t width, int64_t height,
                                uint32_t eventType, std::string_view type) {
  checkWindowSize(type, width, height);
  window.stackOrder = ++stackCounter_;
  window.resize(static_cast<uint32_t>(width), static_cast<uint32_t>(height));
  ClientWindow& stored = windows_[window.wid] = std::move(window);
  // The metadata goes with the window: the native display names it (title, class, type) from
  // this event; without it the windows stayed unnamed until a later window-metadata.
  const std::string json = stored.metadata.toJson();
  show(eventType, stored, json.c_str());
  return stored;
}

void WindowMirror::onNewWindow(const protocol::NewWindow& p, WindowKind kind) {
  const bool normal = kind == WindowKind::Normal;
  ClientWindow w;
  w.wid = static_cast<uint64_t>(p.wid);
  w.geometry = rdk_rect{static_cast<int32_t>(p.x), static_cast<int32_t>(p.y), 0, 0};
  w.kind = kind;
  w.metadata = Value(p.metadata);
  ClientWindow& stored = add(
      std::move(w), p.width, p.height, normal ? RDK_WINDOW_NEW : RDK_WINDOW_NEW_OVERRIDE_REDIRECT,
      normal ? protocol::NewWindow::kType : protocol::NewOverrideRedirect::kType);
  if (normal) {
    // A stock Xpra server only paints windows the client has mapped. Its client properties
    // say, as the stock 3.1.3 client's do, that this window paints `scroll` draws.
    sink_.send(protocol::MapWindow{static_cast<int64_t>(stored.wid), stored.geometry.x,
                                   stored.geometry.y, stored.geometry.w, stored.geometry.h,
                                   Value::Dict{{Value("encoding.scrolling"), Value(scrolling_)}},
                                   Value::Dict{}});
  }
}

void WindowMirror::onNewTray(const protocol::NewTray& p) {
  ClientWindow w;
  w.wid = static_cast<uint64_t>(p.wid);
  w.geometry = rdk_rect{0, 0, 0, 0};
  w.kind = WindowKind::Tray;
  w.metadata = Value(p.metadata);
  add(std::move(w), p.width, p.height, RDK_WINDOW_NEW_TRAY, protocol::NewTray::kType);
}

void WindowMirror::onLost(const protocol::LostWindow& p) {
  auto it = windows_.find(static_cast<uint64_t>(p.wid));
  if (it == windows_.end())
    return;  // a window we never saw (or already lost)
  show(RDK_WINDOW_LOST, it->second);
  windows_.erase(it);
}

void WindowMirror::onRaise(const protocol::RaiseWindow& p) {
  if (ClientWindow* w = find(static_cast<uint64_t>(p.wid))) {
    w->stackOrder = ++stackCounter_;
    show(RDK_WINDOW_RAISE, *w);
  }
}

void WindowMirror::reshape(std::string_view type, int64_t wid,
                           std::optional<std::pair<int64_t, int64_t>> position, int64_t width,
                           int64_t height) {
  ClientWindow* w = find(static_cast<uint64_t>(wid));
  if (!w)
    return;
  checkWindowSize(type, width, height);
  if (position) {
    w->geometry.x = static_cast<int32_t>(position->first);
    w->geometry.y = static_cast<int32_t>(position->second);
  }
  w->resize(static_cast<uint32_t>(width), static_cast<uint32_t>(height));
  show(RDK_WINDOW_MOVE_RESIZE, *w);
}

void WindowMirror::onMoveResize(const protocol::WindowMoveResize& p) {
  reshape(p.kType, p.wid, std::pair{p.x, p.y}, p.width, p.height);
}

void WindowMirror::onResized(const protocol::WindowResized& p) {
  reshape(p.kType, p.wid, std::nullopt, p.width, p.height);
}

void WindowMirror::onConfigureOverrideRedirect(const protocol::ConfigureOverrideRedirect& p) {
  reshape(p.kType, p.wid, std::pair{p.x, p.y}, p.width, p.height);
}

void WindowMirror::onMetadata(const protocol::WindowMetadata& p) {
  ClientWindow* w = find(static_cast<uint64_t>(p.wid));
  if (!w)
    return;
  for (const auto& [key, value] : p.changes) {
    if (key.isBytes())
      w->metadata.set(key.asBytes(), value);
  }
  const std::string json = w->metadata.toJson();
  show(RDK_WINDOW_METADATA, *w, json.c_str());
}

void WindowMirror::onBell(const protocol::Bell& p) {
  ++bells_;
  if (const ClientWindow* w = find(static_cast<uint64_t>(p.wid)))
    show(RDK_WINDOW_BELL, *w);
}

}  // namespace rdk::session
