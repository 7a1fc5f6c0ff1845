// Window lifecycle and geometry packets (reference §5 "Windows and drawing").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

// Server -> client: [type, wid, x, y, w, h, metadata{}, client_properties{}].
struct NewWindow {
  static constexpr std::string_view kType = "new-window";
  int64_t wid = 0;
  int64_t x = 0, y = 0, width = 0, height = 0;
  Value::Dict metadata;
  Value::Dict clientProperties;
  Packet toPacket() const;
  static NewWindow fromPacket(const Packet& p);
  bool operator==(const NewWindow&) const = default;
};

// Same layout as new-window, for override-redirect windows (menus, tooltips).
struct NewOverrideRedirect : NewWindow {
  static constexpr std::string_view kType = "new-override-redirect";
  Packet toPacket() const;
  static NewOverrideRedirect fromPacket(const Packet& p);
  bool operator==(const NewOverrideRedirect&) const = default;
};

// Server -> client: ["new-tray", wid, w, h, metadata{}].
struct NewTray {
  static constexpr std::string_view kType = "new-tray";
  int64_t wid = 0;
  int64_t width = 0, height = 0;
  Value::Dict metadata;
  Packet toPacket() const;
  static NewTray fromPacket(const Packet& p);
  bool operator==(const NewTray&) const = default;
};

struct RaiseWindow {
  static constexpr std::string_view kType = "raise-window";
  int64_t wid = 0;
  Packet toPacket() const;
  static RaiseWindow fromPacket(const Packet& p);
  bool operator==(const RaiseWindow&) const = default;
};

// Server -> client: [wid, x, y, w, h, resize_counter].
struct WindowMoveResize {
  static constexpr std::string_view kType = "window-move-resize";
  int64_t wid = 0;
  int64_t x = 0, y = 0, width = 0, height = 0;
  int64_t resizeCounter = 0;
  Packet toPacket() const;
  static WindowMoveResize fromPacket(const Packet& p);
  bool operator==(const WindowMoveResize&) const = default;
};

// Server -> client: [wid, w, h, resize_counter].
struct WindowResized {
  static constexpr std::string_view kType = "window-resized";
  int64_t wid = 0;
  int64_t width = 0, height = 0;
  int64_t resizeCounter = 0;
  Packet toPacket() const;
  static WindowResized fromPacket(const Packet& p);
  bool operator==(const WindowResized&) const = default;
};

struct WindowMetadata {
  static constexpr std::string_view kType = "window-metadata";
  int64_t wid = 0;
  Value::Dict changes;
  Packet toPacket() const;
  static WindowMetadata fromPacket(const Packet& p);
  bool operator==(const WindowMetadata&) const = default;
};

struct LostWindow {
  static constexpr std::string_view kType = "lost-window";
  int64_t wid = 0;
  Packet toPacket() const;
  static LostWindow fromPacket(const Packet& p);
  bool operator==(const LostWindow&) const = default;
};

// Client -> server: [wid, x, y, w, h, client_properties{}(, state{})].
struct MapWindow {
  static constexpr std::string_view kType = "map-window";
  int64_t wid = 0;
  int64_t x = 0, y = 0, width = 0, height = 0;
  Value::Dict clientProperties;
  std::optional<Value::Dict> state;
  Packet toPacket() const;
  static MapWindow fromPacket(const Packet& p);
  bool operator==(const MapWindow&) const = default;
};

// Server -> client: [wid, x, y, w, h]: an override-redirect window (menu, tooltip) moved.
struct ConfigureOverrideRedirect {
  static constexpr std::string_view kType = "configure-override-redirect";
  int64_t wid = 0;
  int64_t x = 0, y = 0, width = 0, height = 0;
  Packet toPacket() const;
  static ConfigureOverrideRedirect fromPacket(const Packet& p);
  bool operator==(const ConfigureOverrideRedirect&) const = default;
};

// Server -> client: [wid, w, h, encoding, data]; ["window-icon", wid, 0, 0, "default", ""] means
// the default icon. `data` (index 5) travels as a raw chunk when large.
struct WindowIcon {
  static constexpr std::string_view kType = "window-icon";
  static constexpr size_t kDataIndex = 5;
  int64_t wid = 0;
  int64_t width = 0, height = 0;
  std::string encoding;  // "png", "premult_argb32", "default", ...
  std::string data;
  Packet toPacket() const;
  static WindowIcon fromPacket(const Packet& p);
  bool operator==(const WindowIcon&) const = default;
};

// Client -> server: [wid, 0, quality(, options{}, client_properties{})]; wid -1 = every window.
// Xpra 3.1.3 reads the trailing pair only when both are there.
struct BufferRefresh {
  static constexpr std::string_view kType = "buffer-refresh";
  int64_t wid = 0;
  int64_t unused = 0;  // always 0, ignored by 3.1.3
  int64_t quality = 100;
  struct Extra {
    Value::Dict options;  // "refresh-now", "batch", ...
    Value::Dict clientProperties;
    bool operator==(const Extra&) const = default;
  };
  std::optional<Extra> extra;
  Packet toPacket() const;
  static BufferRefresh fromPacket(const Packet& p);
  bool operator==(const BufferRefresh&) const = default;
};

// Client -> server: [wid(, iconified(, state{}))].
struct UnmapWindow {
  static constexpr std::string_view kType = "unmap-window";
  int64_t wid = 0;
  std::optional<bool> iconified;
  std::optional<Value::Dict> state;
  Packet toPacket() const;
  static UnmapWindow fromPacket(const Packet& p);
  bool operator==(const UnmapWindow&) const = default;
};

// Client -> server: [wid, x, y, w, h, client_properties{}, resize_counter, state{},
// skip_geometry(, pointer_wid, (x, y), modifiers)]; short forms (trays) stop after props.
struct ConfigureWindow {
  static constexpr std::string_view kType = "configure-window";
  int64_t wid = 0;
  int64_t x = 0, y = 0, width = 0, height = 0;
  Value::Dict clientProperties;
  int64_t resizeCounter = 0;
  Value::Dict state;
  bool skipGeometry = false;
  struct Pointer {
    int64_t wid = 0;
    int64_t x = 0, y = 0;
    std::vector<std::string> modifiers;
    bool operator==(const Pointer&) const = default;
  };
  std::optional<Pointer> pointer;
  Packet toPacket() const;
  static ConfigureWindow fromPacket(const Packet& p);
  bool operator==(const ConfigureWindow&) const = default;
};

struct CloseWindow {
  static constexpr std::string_view kType = "close-window";
  int64_t wid = 0;
  Packet toPacket() const;
  static CloseWindow fromPacket(const Packet& p);
  bool operator==(const CloseWindow&) const = default;
};

// Client -> server: [wid, modifiers[]]; wid 0 = no window has focus.
struct Focus {
  static constexpr std::string_view kType = "focus";
  int64_t wid = 0;
  std::vector<std::string> modifiers;
  Packet toPacket() const;
  static Focus fromPacket(const Packet& p);
  bool operator==(const Focus&) const = default;
};

}  // namespace rdk::protocol
