// Server side: the whole X screen as ONE remote window (wid 1), like Xpra's shadow server.
// Pixels come from the root window (XShm, XGetSubImage as fallback), damage from XDamage on the
// root, the cursor image from XFixes, the pointer position from XQueryPointer, bells from XKB, and
// input goes back through XTEST.
#pragma once

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cursor_image.h"
#include "pixel_store.h"
#include "rdk/plugin.hpp"
#include "x11_options.h"
#include "x_connection.h"
#include "xtest_injector.h"

namespace rdk::x11 {

class ShadowPlatform : public rdk::Platform {
 public:
  static constexpr uint64_t kRootWid = 1;

  ShadowPlatform(const X11Options& options, const rdk_platform_callbacks& callbacks,
                 const rdk::Host& host);
  ~ShadowPlatform() override;

  void poll(uint64_t nowUs) override;
  rdk_image capture(uint64_t wid, const rdk_rect& rect) override;
  void inject(const rdk_input_event& event) override;

 private:
  void emit(uint32_t type, const rdk_rect& rect, const std::string& metadata = {},
            const rdk_image* image = nullptr);
  void announce();
  void handleEvent(const XEvent& event);
  void flushDamage();
  void emitCursor();
  void updatePointer(uint64_t nowUs);
  rdk_rect screenRect() const { return {0, 0, width_, height_}; }

  X11Options options_;
  rdk_platform_callbacks callbacks_;
  rdk::Host host_;
  bool loggedCapturePath_ = false;
  XConnection x_;
  uint32_t width_ = 0, height_ = 0;
  int damageEventBase_ = 0, fixesEventBase_ = 0, xkbEventBase_ = -1;
  Damage damage_ = 0;
  XserverRegion region_ = 0;
  PixelStore store_;
  XTestInjector injector_;
  bool announced_ = false;
  bool damagePending_ = false;
  bool cursorChanged_ = false;
  CursorImage cursor_;  // the last cursor shape sent
  std::optional<std::pair<int32_t, int32_t>> pointer_;
  uint64_t nextPointerQueryUs_ = 0;
};

}  // namespace rdk::x11
