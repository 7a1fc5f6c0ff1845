// Client side: one native X11 window standing for one remote window. It keeps a backing image of
// everything painted so far, so Expose and resizes never need the server.
#pragma once

#include <X11/Xlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "pixel_store.h"
#include "rdk/plugin_abi.h"
#include "x_connection.h"

namespace rdk::x11 {

enum class WindowKind { kNormal, kOverrideRedirect, kTray };

struct WindowLook {
  std::string title;
  std::string windowType;  // Xpra's first "window-type", e.g. "NORMAL", "DIALOG", "POPUP_MENU"
  std::string resClass;    // second "class-instance" entry
};

class ClientWindow {
 public:
  ClientWindow(XConnection& x, uint64_t wid, WindowKind kind, const rdk_rect& rect,
               const WindowLook& look, bool shm);
  ~ClientWindow();
  ClientWindow(const ClientWindow&) = delete;
  ClientWindow& operator=(const ClientWindow&) = delete;

  Window handle() const { return window_; }
  uint64_t wid() const { return wid_; }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }

  void moveResize(const rdk_rect& rect);
  void resize(uint32_t width, uint32_t height);
  void raise();
  void setTitle(const std::string& title);
  /// Copies |image| (BGRX, BGRA, RGBX or RGB) to |x|,|y|, clipped to the window, and shows it.
  void paint(int32_t x, int32_t y, const rdk_image& image);
  /// Shows the backing image again over |x|,|y|,|w|,|h| (Expose).
  void expose(int32_t x, int32_t y, int32_t w, int32_t h);
  void setCursor(Cursor cursor);

 private:
  void resizeBacking(uint32_t width, uint32_t height);

  XConnection& x_;
  uint64_t wid_;
  Window window_ = 0;
  GC gc_ = nullptr;
  uint32_t width_ = 0, height_ = 0;
  PixelStore backing_;
  XImage* image_ = nullptr;  // backing_'s image, width_ x height_
};

}  // namespace rdk::x11
