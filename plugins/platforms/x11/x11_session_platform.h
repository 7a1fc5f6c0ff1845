// What the shadow, seamless and client platforms share on top of their own work: the display's
// clipboard (X11Clipboard) and keyboard layout (ABI 1.2). Wraps the platform object, forwarding
// everything else, so none of them has to know about selections.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "rdk/plugin.hpp"
#include "x11_clipboard.h"

namespace rdk::x11 {

/// Implemented by platforms that cache the keymap (the XTEST injector): the layout changed.
class KeymapListener {
 public:
  virtual ~KeymapListener() = default;
  virtual void keymapChanged() = 0;
};

class X11SessionPlatform : public rdk::Platform {
 public:
  /// |displayName| is asked when the clipboard opens or a layout is applied (the seamless
  /// platform learns its display only once Xvfb runs).
  X11SessionPlatform(std::unique_ptr<rdk::Platform> inner,
                     std::function<std::string()> displayName);
  ~X11SessionPlatform() override;

  void poll(uint64_t nowUs) override;
  rdk_image capture(uint64_t wid, const rdk_rect& rect) override {
    return inner_->capture(wid, rect);
  }
  void inject(const rdk_input_event& event) override { inner_->inject(event); }
  void request(const rdk_window_request& request) override { inner_->request(request); }
  void displayWindow(const rdk_window_event& event) override { inner_->displayWindow(event); }
  void displayPaint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) override {
    inner_->displayPaint(wid, x, y, image);
  }
  void displayPoll() override;

  void clipboardOpen(const std::string& options, const rdk_clipboard_callbacks& callbacks) override;
  void clipboardClaim(const std::string& selection, const std::string& targets) override;
  void clipboardConvert(uint32_t id, const std::string& selection,
                        const std::string& target) override;
  void clipboardReply(uint32_t id, const rdk_clipboard_data* data) override;
  void keyboardSet(const std::string& json) override;
  std::string keyboardQuery() override;

 private:
  X11Clipboard& clipboard();

  std::unique_ptr<rdk::Platform> inner_;
  std::function<std::string()> displayName_;
  std::unique_ptr<X11Clipboard> clipboard_;
};

}  // namespace rdk::x11
