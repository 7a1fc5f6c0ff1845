// Server side, seamless mode: each top-level window of a virtual X display is its own remote
// window, as in `xpra start --start=xterm`. The platform starts the display (Xvfb) unless told to
// use one, becomes its window manager (SubstructureRedirect on the root; mapping and configure
// requests are granted as asked, no frames), redirects every top-level window with XComposite and
// reads each from its own pixmap, with one XDamage object per window. Override-redirect windows
// (menus, tooltips) are NEW_OVERRIDE_REDIRECT. Metadata comes from ICCCM/EWMH properties and is
// re-read when one of them changes. Input goes through XTEST at the window's position; a click
// focuses and raises the window, a key focuses it first.
#pragma once

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cursor_image.h"
#include "pixel_store.h"
#include "rdk/plugin.hpp"
#include "seamless_options.h"
#include "virtual_display.h"
#include "window_metadata.h"
#include "x_connection.h"
#include "xtest_injector.h"

namespace rdk::x11 {

class SeamlessPlatform : public rdk::Platform {
 public:
  SeamlessPlatform(const SeamlessOptions& options, const rdk_platform_callbacks& callbacks,
                   const rdk::Host& host);
  ~SeamlessPlatform() override;

  void poll(uint64_t nowUs) override;
  rdk_image capture(uint64_t wid, const rdk_rect& rect) override;
  void inject(const rdk_input_event& event) override;
  void request(const rdk_window_request& request) override;

  /// The display the applications run on (":N").
  const std::string& displayName() const { return x_->name(); }

 private:
  struct Managed {
    uint64_t wid = 0;
    Window xid = 0;
    rdk_rect geometry{};  // the inside of the window, root coordinates
    int border = 0;
    bool overrideRedirect = false;
    int depth = 24;
    Visual* visual = nullptr;
    Damage damage = 0;
    Pixmap pixmap = 0;  // named on first capture after a map or resize
    bool damaged = false;
    bool metadataDirty = false;
    Metadata metadata;
    // The geometry a client asked for last: the ConfigureNotify that grants it is reported
    // marked as the client's own doing, so that it is not echoed back to the client.
    rdk_rect requested{};
    bool hasRequested = false;
    uint64_t closeRequestedUs = 0;  // a second close after kCloseGraceUs kills the client
  };

  // seamless_platform.cpp: set-up and the event loop
  void becomeWindowManager();
  void handleEvent(XEvent& event);
  void handleClientMessage(const XClientMessageEvent& event);
  void onConfigureRequest(const XConfigureRequestEvent& event);
  void onMapRequest(const XMapRequestEvent& event);
  void emitBell(const XEvent& event);
  void emitCursor();
  void startChildren();

  // seamless_tray.cpp: _NET_SYSTEM_TRAY_Sn and XEmbed icons, each in a container of its own
  void becomeTrayManager();
  bool handleTrayMessage(const XClientMessageEvent& event);
  void dock(Window icon);
  void onTrayIconGone(Window icon);

  // seamless_windows.cpp: managed windows, capture, input
  void manage(Window xid);
  void unmanage(Window xid);
  void onConfigureNotify(const XConfigureEvent& event);
  void flushDamage(Managed& w);
  void flushMetadata(Managed& w);
  void releasePixmap(Managed& w);
  void focus(Managed& w);
  void close(Managed& w);
  void setIconic(Managed& w, bool iconic);
  void updateClientList();
  Managed* byXid(Window xid);
  Managed* byWid(uint64_t wid);
  uint64_t widOf(Window xid) const;
  PixelStore& storeFor(const Managed& w);
  void emit(uint32_t type, uint64_t wid, const rdk_rect& rect, const std::string& metadata = {},
            const rdk_image* image = nullptr);

  SeamlessOptions options_;
  rdk_platform_callbacks callbacks_;
  rdk::Host host_;
  // Destroyed in reverse: the applications first, then our X connection, then the X server.
  std::unique_ptr<VirtualDisplay> display_;
  std::unique_ptr<XConnection> x_;
  std::unique_ptr<WmAtoms> atoms_;
  std::unique_ptr<PixelStore> store24_, store32_;
  std::unique_ptr<XTestInjector> injector_;
  int damageEventBase_ = 0, fixesEventBase_ = 0, xkbEventBase_ = -1;
  XserverRegion region_ = 0;
  Window wmWindow_ = 0;   // _NET_SUPPORTING_WM_CHECK
  Window trayOwner_ = 0;  // owns _NET_SYSTEM_TRAY_Sn (0: another tray runs)
  Atom trayOpcode_ = 0, xembed_ = 0;
  std::map<Window, Window> trayIcons_;  // icon -> its container
  std::set<Window> trayContainers_;
  std::map<uint64_t, Managed> windows_;
  std::map<Window, uint64_t> widByXid_;
  std::vector<Window> initial_;  // viewable before we started, managed at the first poll
  uint64_t nextWid_ = 1;
  Window focused_ = 0;
  uint64_t pointerWid_ = 0;
  bool started_ = false;
  bool cursorChanged_ = true;
  bool loggedCapturePath_ = false;
  CursorImage cursor_;  // the last cursor shape sent
  ChildProcesses children_;
};

}  // namespace rdk::x11
