// The system tray of the seamless platform (freedesktop System Tray + XEmbed): the platform owns
// _NET_SYSTEM_TRAY_Sn, and each icon that asks to dock is reparented into a small override-
// redirect container window of its own at the bottom right of the virtual screen. The container
// is then managed like any top-level window (its own pixmap, damage, clicks at its position),
// but reported as NEW_TRAY, as Xpra's server does with its tray windows.
#include <X11/Xatom.h>

#include "seamless_platform.h"

namespace rdk::x11 {

namespace {
constexpr long kRequestDock = 0;       // SYSTEM_TRAY_REQUEST_DOCK
constexpr long kEmbeddedNotify = 0;    // XEMBED_EMBEDDED_NOTIFY
constexpr uint32_t kDefaultIcon = 24;  // icons that ask for no usable size
constexpr uint32_t kMaxIcon = 128;
}  // namespace

void SeamlessPlatform::becomeTrayManager() {
  Display* d = x_->get();
  const Atom selection =
      XInternAtom(d, ("_NET_SYSTEM_TRAY_S" + std::to_string(x_->screen())).c_str(), False);
  trayOpcode_ = XInternAtom(d, "_NET_SYSTEM_TRAY_OPCODE", False);
  xembed_ = XInternAtom(d, "_XEMBED", False);
  if (XGetSelectionOwner(d, selection) != None)
    return;  // a tray of the applications' own runs there: leave it to them
  XSetWindowAttributes attrs{};
  attrs.override_redirect = True;
  trayOwner_ = XCreateWindow(d, x_->root(), -1, -1, 1, 1, 0, CopyFromParent, InputOnly,
                             CopyFromParent, CWOverrideRedirect, &attrs);
  const long orientation = 0;  // horizontal
  XChangeProperty(d, trayOwner_, XInternAtom(d, "_NET_SYSTEM_TRAY_ORIENTATION", False), XA_CARDINAL,
                  32, PropModeReplace, reinterpret_cast<const unsigned char*>(&orientation), 1);
  XSetSelectionOwner(d, selection, trayOwner_, CurrentTime);
  // Icons started before us wait for this announcement (MANAGER) to dock.
  XEvent manager{};
  manager.xclient.type = ClientMessage;
  manager.xclient.window = x_->root();
  manager.xclient.message_type = XInternAtom(d, "MANAGER", False);
  manager.xclient.format = 32;
  manager.xclient.data.l[0] = CurrentTime;
  manager.xclient.data.l[1] = static_cast<long>(selection);
  manager.xclient.data.l[2] = static_cast<long>(trayOwner_);
  XSendEvent(d, x_->root(), False, StructureNotifyMask, &manager);
}

bool SeamlessPlatform::handleTrayMessage(const XClientMessageEvent& event) {
  if (trayOwner_ == 0 || event.window != trayOwner_ || event.message_type != trayOpcode_ ||
      event.format != 32)
    return false;
  if (event.data.l[1] == kRequestDock)
    dock(static_cast<Window>(event.data.l[2]));
  return true;
}

void SeamlessPlatform::dock(Window icon) {
  Display* d = x_->get();
  XErrorTrap trap(d);
  XWindowAttributes a{};
  if (icon == 0 || !XGetWindowAttributes(d, icon, &a) || trayIcons_.count(icon))
    return;
  uint32_t w = static_cast<uint32_t>(a.width), h = static_cast<uint32_t>(a.height);
  if (w < 8 || h < 8 || w > kMaxIcon || h > kMaxIcon)
    w = h = kDefaultIcon;
  // Side by side along the bottom of the screen, from the right.
  const int slot = static_cast<int>(trayIcons_.size());
  const int x = DisplayWidth(d, x_->screen()) - (slot + 1) * static_cast<int>(w + 4);
  const int y = DisplayHeight(d, x_->screen()) - static_cast<int>(h) - 4;
  XSetWindowAttributes attrs{};
  attrs.override_redirect = True;
  attrs.background_pixel = 0xc0c0c0;
  attrs.event_mask = SubstructureNotifyMask;
  const Window container =
      XCreateWindow(d, x_->root(), x, y, w, h, 0, CopyFromParent, InputOutput, CopyFromParent,
                    CWOverrideRedirect | CWBackPixel | CWEventMask, &attrs);
  // The icon's name and class, so that the client can tell its trays apart.
  XTextProperty name{};
  if (XGetWMName(d, icon, &name) && name.value) {
    XSetWMName(d, container, &name);
    XFree(name.value);
  }
  XClassHint hint{};
  if (XGetClassHint(d, icon, &hint)) {
    XSetClassHint(d, container, &hint);
    XFree(hint.res_name);
    XFree(hint.res_class);
  }
  XReparentWindow(d, icon, container, 0, 0);
  XResizeWindow(d, icon, w, h);
  XMapWindow(d, icon);
  XEvent notify{};
  notify.xclient.type = ClientMessage;
  notify.xclient.window = icon;
  notify.xclient.message_type = xembed_;
  notify.xclient.format = 32;
  notify.xclient.data.l[0] = CurrentTime;
  notify.xclient.data.l[1] = kEmbeddedNotify;
  notify.xclient.data.l[3] = static_cast<long>(container);
  notify.xclient.data.l[4] = 0;  // XEmbed protocol version
  XSendEvent(d, icon, False, NoEventMask, &notify);
  if (trap.sync() != 0) {
    XDestroyWindow(d, container);
    return;  // the icon went away while it docked
  }
  trayIcons_[icon] = container;
  trayContainers_.insert(container);
  XMapWindow(d, container);  // MapNotify on the root: managed, reported as NEW_TRAY
}

void SeamlessPlatform::onTrayIconGone(Window icon) {
  auto it = trayIcons_.find(icon);
  if (it == trayIcons_.end())
    return;
  // The container's own unmap and destruction then report LOST.
  XDestroyWindow(x_->get(), it->second);
  trayContainers_.erase(it->second);
  trayIcons_.erase(it);
}

}  // namespace rdk::x11
