// The client's copy of the server's windows: new-window / new-override-redirect / new-tray,
// lost-window, raise-window, window-move-resize, window-resized, window-metadata,
// configure-override-redirect and bell, each applied to the ClientWindow it names and shown on
// the native display when there is one. A normal window is mapped at once (map-window): a stock
// Xpra server only paints mapped windows. Packets for windows it never saw are ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "rdk/plugin_abi.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/media.h"
#include "rdk/protocol/messages/window.h"
#include "rdk/session/client_window.h"
#include "rdk/session/handler_interfaces.h"

namespace rdk::session {

/// A native display (the x11 platform's display side) that shows what the client mirrors.
class ClientDisplay {
 public:
  virtual ~ClientDisplay() = default;
  virtual void windowEvent(const rdk_window_event& event) = 0;
  virtual void paint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) = 0;
};

class WindowMirror {
 public:
  /// Larger windows are refused as malformed (the client allocates their pixels).
  static constexpr int64_t kMaxWindowSide = 16384;

  /// |display| may be null (headless).
  WindowMirror(PacketSink& sink, ClientDisplay* display = nullptr)
      : sink_(sink), display_(display) {}

  /// Registers every packet above on |dispatcher|.
  void registerWith(protocol::MessageDispatcher& dispatcher);

  void onNewWindow(const protocol::NewWindow& packet, WindowKind kind = WindowKind::Normal);
  void onNewTray(const protocol::NewTray& packet);
  void onLost(const protocol::LostWindow& packet);
  void onRaise(const protocol::RaiseWindow& packet);
  void onMoveResize(const protocol::WindowMoveResize& packet);
  void onResized(const protocol::WindowResized& packet);
  void onMetadata(const protocol::WindowMetadata& packet);
  void onConfigureOverrideRedirect(const protocol::ConfigureOverrideRedirect& packet);
  void onBell(const protocol::Bell& packet);

  ClientWindow* find(uint64_t wid);
  const ClientWindow* find(uint64_t wid) const;
  const std::map<uint64_t, ClientWindow>& windows() const { return windows_; }
  /// Drops every window (and the decoders they hold).
  void clear() { windows_.clear(); }
  uint64_t bells() const { return bells_; }
  /// Whether map-window says this client paints `scroll` draws (default yes).
  void setScrolling(bool scrolling) { scrolling_ = scrolling; }

 private:
  ClientWindow& add(ClientWindow&& window, int64_t width, int64_t height, uint32_t eventType,
                    std::string_view type);
  void show(uint32_t type, const ClientWindow& window, const char* metadataJson = nullptr);
  /// New geometry for |wid| (the position kept without |position|), if we have that window.
  void reshape(std::string_view type, int64_t wid,
               std::optional<std::pair<int64_t, int64_t>> position, int64_t width, int64_t height);

  PacketSink& sink_;
  ClientDisplay* display_;
  std::map<uint64_t, ClientWindow> windows_;
  uint64_t stackCounter_ = 0;
  uint64_t bells_ = 0;
  bool scrolling_ = true;
};

/// |width| x |height| within 0..WindowMirror::kMaxWindowSide, else ProtocolError naming |type|.
void checkWindowSize(std::string_view type, int64_t width, int64_t height);

}  // namespace rdk::session
