// Test helpers for platform plugins: an event recorder for rdk_platform_callbacks and an opened
// server-side platform that closes itself.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "rdk/plugin_abi.h"

namespace rdk::test {

/// A copy of one rdk_window_event that outlives the callback.
struct RecordedEvent {
  uint32_t type = 0;
  uint64_t wid = 0;
  rdk_rect rect{};
  std::string metadata;
  std::vector<uint8_t> image;  // cursor pixels (rows packed)
  uint32_t imageWidth = 0, imageHeight = 0;
  std::vector<uint8_t> data;
};

class EventRecorder {
 public:
  EventRecorder() {
    callbacks_.struct_size = sizeof(callbacks_);
    callbacks_.host = this;
    callbacks_.on_event = [](void* host, const rdk_window_event* e) {
      static_cast<EventRecorder*>(host)->record(*e);
    };
  }
  const rdk_platform_callbacks* callbacks() const { return &callbacks_; }
  std::vector<RecordedEvent>& events() { return events_; }
  size_t count(uint32_t type) const {
    size_t n = 0;
    for (const auto& e : events_)
      n += e.type == type ? 1 : 0;
    return n;
  }
  std::vector<RecordedEvent> ofType(uint32_t type) const {
    std::vector<RecordedEvent> out;
    for (const auto& e : events_) {
      if (e.type == type)
        out.push_back(e);
    }
    return out;
  }
  void clear() { events_.clear(); }

 private:
  void record(const rdk_window_event& e) {
    RecordedEvent r;
    r.type = e.type;
    r.wid = e.wid;
    r.rect = e.rect;
    if (e.metadata_json)
      r.metadata = e.metadata_json;
    if (e.image && e.image->pixels) {
      r.imageWidth = e.image->width;
      r.imageHeight = e.image->height;
      for (uint32_t y = 0; y < e.image->height; ++y) {
        const uint8_t* row = e.image->pixels + static_cast<size_t>(y) * e.image->stride;
        r.image.insert(r.image.end(), row, row + e.image->width * 4);
      }
    }
    if (e.data.data)
      r.data.assign(e.data.data, e.data.data + e.data.size);
    events_.push_back(std::move(r));
  }

  rdk_platform_callbacks callbacks_{};
  std::vector<RecordedEvent> events_;
};

/// Packs the rows of |image| (BGRX/BGRA, 4 bytes per pixel) into one vector.
inline std::vector<uint8_t> packRows(const rdk_image& image) {
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(image.width) * image.height * 4);
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t* row = image.pixels + static_cast<size_t>(y) * image.stride;
    out.insert(out.end(), row, row + image.width * 4);
  }
  return out;
}

/// A server-side platform opened through the plugin's vtable; closed on destruction.
class OpenedPlatform {
 public:
  OpenedPlatform(LoadedTestPlugin& plugin, const char* name, const std::string& options)
      : plugin_(plugin), vtbl_(plugin.descriptor()->platform) {
    if (!vtbl_)
      throw std::runtime_error("plugin has no platform vtable");
    status_ = vtbl_->open(plugin.state(), name, options.c_str(), recorder_.callbacks(), &p_);
    if (status_ != RDK_OK)
      p_ = nullptr;
  }
  ~OpenedPlatform() {
    if (p_)
      vtbl_->close(p_);
  }
  OpenedPlatform(const OpenedPlatform&) = delete;
  OpenedPlatform& operator=(const OpenedPlatform&) = delete;

  rdk_status status() const { return status_; }
  bool ok() const { return p_ != nullptr; }
  rdk_status poll(uint64_t nowUs) { return vtbl_->poll(p_, nowUs); }
  rdk_status capture(uint64_t wid, rdk_rect rect, rdk_image& out) {
    out = rdk_image{};
    out.struct_size = sizeof(out);
    return vtbl_->capture(p_, wid, &rect, &out);
  }
  /// The whole of |rect| as packed BGRX, or empty on failure.
  std::vector<uint8_t> pixels(uint64_t wid, rdk_rect rect) {
    rdk_image image{};
    if (capture(wid, rect, image) != RDK_OK)
      return {};
    return packRows(image);
  }
  rdk_status inject(const rdk_input_event& e) { return vtbl_->inject(p_, &e); }
  /// A client's window request (ABI 1.1); RDK_E_UNSUPPORTED when the plugin has no request().
  rdk_status request(uint32_t type, uint64_t wid, rdk_rect rect = {}) {
    if (!RDK_HAS_FIELD(vtbl_, rdk_platform_vtbl, request) || !vtbl_->request)
      return RDK_E_UNSUPPORTED;
    rdk_window_request r{};
    r.struct_size = sizeof(r);
    r.type = type;
    r.wid = wid;
    r.rect = rect;
    return vtbl_->request(p_, &r);
  }
  EventRecorder& recorder() { return recorder_; }
  std::string lastError() { return plugin_.host().lastError(); }

 private:
  LoadedTestPlugin& plugin_;
  const rdk_platform_vtbl* vtbl_;
  EventRecorder recorder_;
  rdk_platform* p_ = nullptr;
  rdk_status status_ = RDK_E_INTERNAL;
};

inline rdk_input_event keyEvent(uint64_t wid, const char* keyname, uint32_t keyval, bool pressed) {
  rdk_input_event e{};
  e.struct_size = sizeof(e);
  e.type = RDK_INPUT_KEY;
  e.wid = wid;
  e.keyname = keyname;
  e.keyval = keyval;
  e.pressed = pressed ? 1 : 0;
  return e;
}

inline rdk_input_event buttonEvent(uint64_t wid, int32_t x, int32_t y, uint32_t button,
                                   bool pressed) {
  rdk_input_event e{};
  e.struct_size = sizeof(e);
  e.type = RDK_INPUT_BUTTON;
  e.wid = wid;
  e.x = x;
  e.y = y;
  e.button = button;
  e.pressed = pressed ? 1 : 0;
  return e;
}

inline rdk_input_event motionEvent(uint64_t wid, int32_t x, int32_t y) {
  rdk_input_event e{};
  e.struct_size = sizeof(e);
  e.type = RDK_INPUT_MOTION;
  e.wid = wid;
  e.x = x;
  e.y = y;
  return e;
}

}  // namespace rdk::test
