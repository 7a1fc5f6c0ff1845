// Test helper: a client-side display opened through a platform plugin's display_open, closed on
// destruction, collecting the local input it reports.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "rdk/plugin_abi.h"

namespace rdk::test {

/// A client-side display opened through display_open; collects the input it reports.
class OpenedDisplay {
 public:
  OpenedDisplay(LoadedTestPlugin& plugin, const std::string& options)
      : vtbl_(plugin.descriptor()->platform) {
    if (!vtbl_ || !vtbl_->display_open)
      throw std::runtime_error("plugin cannot open a display");
    status_ =
        vtbl_->display_open(plugin.state(), options.c_str(), &OpenedDisplay::onInput, this, &p_);
  }
  ~OpenedDisplay() {
    if (status_ == RDK_OK)
      vtbl_->close(p_);
  }
  rdk_status status() const { return status_; }
  rdk_status window(uint32_t type, uint64_t wid, rdk_rect rect, const char* metadata = nullptr) {
    rdk_window_event e{};
    e.struct_size = sizeof(e);
    e.type = type;
    e.wid = wid;
    e.rect = rect;
    e.metadata_json = metadata;
    return vtbl_->display_window(p_, &e);
  }
  rdk_status event(const rdk_window_event& e) { return vtbl_->display_window(p_, &e); }
  rdk_status paint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) {
    return vtbl_->display_paint(p_, wid, x, y, &image);
  }
  rdk_status poll() { return vtbl_->display_poll(p_); }

  struct Input {
    rdk_input_event event;
    std::string keyname;
  };
  std::vector<Input> inputs;

 private:
  static void onInput(void* host, const rdk_input_event* e) {
    auto* self = static_cast<OpenedDisplay*>(host);
    self->inputs.push_back({*e, e->keyname ? e->keyname : ""});
    self->inputs.back().event.keyname = nullptr;
  }

  const rdk_platform_vtbl* vtbl_;
  rdk_platform* p_ = nullptr;
  rdk_status status_ = RDK_E_INTERNAL;
};

}  // namespace rdk::test
