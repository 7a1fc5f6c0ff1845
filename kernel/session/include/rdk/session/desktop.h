// The server's view of the captured desktop: the platform plugin plus the windows it reported.
// Everything runs on the server loop thread; platform events are forwarded, in order, to the
// listener (the server, which fans them out to sessions).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "rdk/kernel/plugin_objects.h"
#include "rdk/plugin_abi.h"
#include "rdk/protocol/value.h"
#include "rdk/session/window_kind.h"

namespace rdk::session {

struct ServerWindow {
  uint64_t wid = 0;
  rdk_rect geometry{};
  WindowKind kind = WindowKind::Normal;
  protocol::Value metadata = protocol::Value(protocol::Value::Dict{});
};

class Desktop : public plugin::PlatformEventSink {
 public:
  using Listener = std::function<void(const rdk_window_event& event, const ServerWindow* window)>;

  Desktop(std::unique_ptr<plugin::PlatformObject> platform, std::string name);
  void setListener(Listener listener) { listener_ = std::move(listener); }

  bool poll(uint64_t nowUs, std::string* error) { return platform_->poll(nowUs, error); }
  plugin::PlatformObject& platform() { return *platform_; }
  const std::string& name() const { return name_; }
  const std::map<uint64_t, ServerWindow>& windows() const { return windows_; }
  const ServerWindow* window(uint64_t wid) const;
  /// Size of the desktop: the union of the normal windows (the root in shadow mode).
  rdk_rect bounds() const;
  uint64_t eventCount(uint32_t type) const;
  /// The cursor the platform showed last (tightly packed BGRA rows), for clients that arrive
  /// after it was set; empty until the platform sent one.
  struct CursorImage {
    rdk_rect hotspotAndSize{};  // x, y: hotspot; w, h: size
    std::string pixels;
  };
  const std::optional<CursorImage>& cursor() const { return cursor_; }
  /// Input went to the platform since the last takeInput(): the loop looks for its effect
  /// (a keystroke's echo) at once instead of at the next periodic poll.
  void noteInput() { inputSeen_ = true; }
  bool takeInput() { return inputSeen_.exchange(false); }

  void onWindowEvent(const rdk_window_event& event) override;

 private:
  std::unique_ptr<plugin::PlatformObject> platform_;
  std::string name_;
  std::map<uint64_t, ServerWindow> windows_;
  mutable std::mutex countsMutex_;  // summary() reads the counts from other threads
  std::map<uint32_t, uint64_t> eventCounts_;
  std::optional<CursorImage> cursor_;
  std::atomic<bool> inputSeen_{false};
  Listener listener_;
};

}  // namespace rdk::session
