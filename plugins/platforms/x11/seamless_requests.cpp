// SeamlessPlatform: what clients ask of the windows (map, configure, close, focus, raise), as a
// window manager would do it for a user at the virtual display.
#include <X11/Xatom.h>

#include <algorithm>
#include <chrono>

#include "seamless_platform.h"

namespace rdk::x11 {
namespace {

// A window that ignored WM_DELETE_WINDOW this long is killed when the user closes it again.
constexpr uint64_t kCloseGraceUs = 3'000'000;

uint64_t monotonicUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

void SeamlessPlatform::request(const rdk_window_request& r) {
  x_->requireAlive();
  if (r.type == RDK_REQUEST_FOCUS && r.wid == 0) {
    XSetInputFocus(x_->get(), PointerRoot, RevertToPointerRoot, CurrentTime);
    focused_ = 0;
    XFlush(x_->get());
    return;
  }
  Managed* w = byWid(r.wid);
  if (!w)
    throw Error(RDK_E_INVALID_ARG, "seamless: no window " + std::to_string(r.wid));
  Display* d = x_->get();
  XErrorTrap trap(d);  // the window may be going away as the request arrives
  switch (r.type) {
    case RDK_REQUEST_MAP:
    case RDK_REQUEST_CONFIGURE:
      if (r.type == RDK_REQUEST_MAP)
        setIconic(*w, false);
      if (r.rect.w > 0 && r.rect.h > 0 && r.rect.w <= 16384 && r.rect.h <= 16384 &&
          (r.rect.x != w->geometry.x || r.rect.y != w->geometry.y || r.rect.w != w->geometry.w ||
           r.rect.h != w->geometry.h)) {
        w->requested = r.rect;
        w->hasRequested = true;
        XMoveResizeWindow(d, w->xid, r.rect.x - w->border, r.rect.y - w->border, r.rect.w,
                          r.rect.h);
      }
      break;
    case RDK_REQUEST_UNMAP:
      // Minimised on the client: iconic here, but still mapped, so it keeps its remote window
      // and its pixels.
      setIconic(*w, true);
      break;
    case RDK_REQUEST_CLOSE:
      close(*w);
      break;
    case RDK_REQUEST_FOCUS:
      focus(*w);
      break;
    case RDK_REQUEST_RAISE:
      XRaiseWindow(d, w->xid);
      break;
    default:
      throw Error(RDK_E_INVALID_ARG, "seamless: unknown window request " + std::to_string(r.type));
  }
  trap.sync();
}

void SeamlessPlatform::close(Managed& w) {
  Display* d = x_->get();
  const uint64_t now = monotonicUs();
  const bool polite = hasProtocol(d, w.xid, *atoms_, atoms_->wmDeleteWindow);
  if (polite && (w.closeRequestedUs == 0 || now - w.closeRequestedUs < kCloseGraceUs)) {
    if (w.closeRequestedUs == 0)
      w.closeRequestedUs = now;
    XEvent message{};
    message.xclient.type = ClientMessage;
    message.xclient.window = w.xid;
    message.xclient.message_type = atoms_->wmProtocols;
    message.xclient.format = 32;
    message.xclient.data.l[0] = static_cast<long>(atoms_->wmDeleteWindow);
    message.xclient.data.l[1] = CurrentTime;
    XSendEvent(d, w.xid, False, NoEventMask, &message);
    return;
  }
  // No WM_DELETE_WINDOW, or it was ignored: the X client goes, with all its windows.
  host_.log(RDK_LOG_INFO, "seamless: killing the X client of window " + std::to_string(w.wid));
  XKillClient(d, w.xid);
}

void SeamlessPlatform::setIconic(Managed& w, bool iconic) {
  if (w.overrideRedirect)
    return;
  Display* d = x_->get();
  long state[2] = {iconic ? IconicState : NormalState, static_cast<long>(None)};
  XChangeProperty(d, w.xid, atoms_->wmState, atoms_->wmState, 32, PropModeReplace,
                  reinterpret_cast<unsigned char*>(state), 2);
  // _NET_WM_STATE_HIDDEN follows, through the same path as an application's own request.
  XEvent ev{};
  ev.xclient.type = ClientMessage;
  ev.xclient.window = w.xid;
  ev.xclient.message_type = atoms_->netWmState;
  ev.xclient.format = 32;
  ev.xclient.data.l[0] = iconic ? 1 : 0;
  ev.xclient.data.l[1] = static_cast<long>(atoms_->netWmStateHidden);
  handleClientMessage(ev.xclient);
}

}  // namespace rdk::x11
