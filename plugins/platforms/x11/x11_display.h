// Client side: remote windows shown as native X11 windows on a local display, and the local
// keyboard and pointer input on them reported back (window-relative, with X keysym names).
#pragma once

#include <X11/Xlib.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "client_window.h"
#include "rdk/plugin.hpp"
#include "x11_options.h"
#include "x_connection.h"

namespace rdk::x11 {

using InputCallback = void (*)(void* host, const rdk_input_event* event);

class X11Display : public rdk::Platform {
 public:
  X11Display(const X11Options& options, InputCallback callback, void* host);
  ~X11Display() override;

  void displayWindow(const rdk_window_event& event) override;
  void displayPaint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) override;
  void displayPoll() override;

 private:
  ClientWindow& window(uint64_t wid);
  void createWindow(const rdk_window_event& event);
  void applyMetadata(ClientWindow& w, const std::string& json);
  void applyCursor(const rdk_window_event& event);
  void report(rdk_input_event& event);
  void handle(XEvent& event, std::optional<rdk_input_event>& pendingMotion);

  X11Options options_;
  InputCallback callback_;
  void* host_;
  XConnection x_;
  std::map<uint64_t, std::unique_ptr<ClientWindow>> windows_;
  std::map<Window, uint64_t> wids_;
  Cursor cursor_ = 0;
};

}  // namespace rdk::x11
