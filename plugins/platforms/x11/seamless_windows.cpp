// SeamlessPlatform: the managed windows (their lifecycle, geometry, metadata and damage), capture
// from each window's composite pixmap, and input routed to the window it was meant for.
#include <X11/Xatom.h>
#include <X11/extensions/Xcomposite.h>

#include <algorithm>

#include "damage_clusters.h"
#include "seamless_platform.h"

namespace rdk::x11 {

SeamlessPlatform::Managed* SeamlessPlatform::byXid(Window xid) {
  auto it = widByXid_.find(xid);
  return it == widByXid_.end() ? nullptr : byWid(it->second);
}

SeamlessPlatform::Managed* SeamlessPlatform::byWid(uint64_t wid) {
  auto it = windows_.find(wid);
  return it == windows_.end() ? nullptr : &it->second;
}

uint64_t SeamlessPlatform::widOf(Window xid) const {
  auto it = widByXid_.find(xid);
  return it == widByXid_.end() ? 0 : it->second;
}

void SeamlessPlatform::manage(Window xid) {
  Display* d = x_->get();
  XErrorTrap trap(d);
  XWindowAttributes a{};
  // The window may be gone already (a tooltip that lived a millisecond): then there is nothing.
  if (!XGetWindowAttributes(d, xid, &a) || a.c_class == InputOnly || a.map_state != IsViewable)
    return;
  Managed w;
  w.wid = nextWid_++;
  w.xid = xid;
  w.border = a.border_width;
  w.geometry = {a.x + a.border_width, a.y + a.border_width, static_cast<uint32_t>(a.width),
                static_cast<uint32_t>(a.height)};
  w.overrideRedirect = a.override_redirect == True;
  w.depth = a.depth;
  w.visual = a.visual;
  XSelectInput(d, xid,
               PropertyChangeMask | (trayContainers_.count(xid) ? SubstructureNotifyMask : 0));
  w.damage = XDamageCreate(d, xid, XDamageReportNonEmpty);
  if (trap.sync() != 0) {
    if (w.damage)
      XDamageDestroy(d, w.damage);
    return;  // destroyed while we looked at it
  }
  widByXid_[xid] = w.wid;
  w.metadata = readMetadata(d, xid, *atoms_, w.overrideRedirect, w.depth,
                            [this](Window other) { return widOf(other); });
  Managed& stored = windows_[w.wid] = std::move(w);
  const bool tray = trayContainers_.count(xid) != 0;
  emit(tray                      ? RDK_WINDOW_NEW_TRAY
       : stored.overrideRedirect ? RDK_WINDOW_NEW_OVERRIDE_REDIRECT
                                 : RDK_WINDOW_NEW,
       stored.wid, stored.geometry, metadataJson(stored.metadata));
  emit(RDK_WINDOW_DAMAGE, stored.wid, {0, 0, stored.geometry.w, stored.geometry.h});
  stored.damaged = false;  // the full damage above covers whatever was drawn so far
  if (!stored.overrideRedirect)
    updateClientList();
}

void SeamlessPlatform::unmanage(Window xid) {
  Managed* w = byXid(xid);
  if (!w)
    return;
  Display* d = x_->get();
  {
    XErrorTrap trap(d);  // the window may be destroyed: its damage object went with it
    releasePixmap(*w);
    if (w->damage)
      XDamageDestroy(d, w->damage);
    if (!w->overrideRedirect) {
      long state[2] = {WithdrawnState, static_cast<long>(None)};
      XChangeProperty(d, xid, atoms_->wmState, atoms_->wmState, 32, PropModeReplace,
                      reinterpret_cast<unsigned char*>(state), 2);
    }
    trap.sync();
  }
  const uint64_t wid = w->wid;
  const rdk_rect last = w->geometry;
  const bool normal = !w->overrideRedirect;
  if (focused_ == xid)
    focused_ = 0;
  if (pointerWid_ == wid)
    pointerWid_ = 0;
  widByXid_.erase(xid);
  windows_.erase(wid);
  emit(RDK_WINDOW_LOST, wid, last);
  if (normal)
    updateClientList();
}

void SeamlessPlatform::onConfigureNotify(const XConfigureEvent& event) {
  Managed* w = byXid(event.window);
  if (!w)
    return;
  const rdk_rect now{event.x + event.border_width, event.y + event.border_width,
                     static_cast<uint32_t>(event.width), static_cast<uint32_t>(event.height)};
  const rdk_rect before = w->geometry;
  w->border = event.border_width;
  w->geometry = now;
  const bool moved = now.x != before.x || now.y != before.y;
  const bool resized = now.w != before.w || now.h != before.h;
  const bool asked = w->hasRequested && w->requested.x == now.x && w->requested.y == now.y &&
                     w->requested.w == now.w && w->requested.h == now.h;
  if (asked)
    w->hasRequested = false;
  const std::string mark = asked ? "{\"client-request\":true}" : "";
  if (resized) {
    releasePixmap(*w);  // a resized window gets a new pixmap
    emit(moved ? RDK_WINDOW_MOVE_RESIZE : RDK_WINDOW_RESIZED, w->wid, now, mark);
    emit(RDK_WINDOW_DAMAGE, w->wid, {0, 0, now.w, now.h});
  } else if (moved) {
    emit(RDK_WINDOW_MOVE_RESIZE, w->wid, now, mark);
  }
}

void SeamlessPlatform::flushMetadata(Managed& w) {
  w.metadataDirty = false;
  Metadata now = readMetadata(x_->get(), w.xid, *atoms_, w.overrideRedirect, w.depth,
                              [this](Window other) { return widOf(other); });
  const Metadata changes = changedKeys(w.metadata, now);
  w.metadata = std::move(now);
  if (!changes.empty())
    emit(RDK_WINDOW_METADATA, w.wid, {}, metadataJson(changes));
}

void SeamlessPlatform::flushDamage(Managed& w) {
  w.damaged = false;
  Display* d = x_->get();
  XErrorTrap trap(d);
  XDamageSubtract(d, w.damage, None, region_);  // takes everything so far and resets it
  int count = 0;
  XRectangle* rects = XFixesFetchRegion(d, region_, &count);
  if (trap.sync() != 0) {
    // The window went away meanwhile; Xlib still allocated the (empty) list (LeakSanitizer saw
    // it in the platforms suite).
    if (rects)
      XFree(rects);
    return;
  }
  if (!rects)
    return;
  // Window-relative; a border (override-redirect windows may keep one) lies at negative
  // coordinates and is not part of the remote window.
  auto clip = [&](int32_t x, int32_t y, int32_t x1, int32_t y1) -> rdk_rect {
    const int32_t x0 = std::max(x, 0), y0 = std::max(y, 0);
    x1 = std::min<int32_t>(x1, static_cast<int32_t>(w.geometry.w));
    y1 = std::min<int32_t>(y1, static_cast<int32_t>(w.geometry.h));
    if (x1 <= x0 || y1 <= y0)
      return {};
    return {x0, y0, static_cast<uint32_t>(x1 - x0), static_cast<uint32_t>(y1 - y0)};
  };
  std::vector<rdk_rect> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(
        clip(rects[i].x, rects[i].y, rects[i].x + rects[i].width, rects[i].y + rects[i].height));
  }
  XFree(rects);
  // Too many to send one by one: near ones joined, distant areas kept apart, as the shadow does
  // (damage_clusters.h). One bounding box made a window's two busy corners one big picture.
  if (count > options_.maxDamageRects)
    out = clusterDamage(out, kNearDamageGap, static_cast<size_t>(options_.maxDamageRects));
  for (const rdk_rect& r : out) {
    if (r.w > 0)
      emit(RDK_WINDOW_DAMAGE, w.wid, r);
  }
}

void SeamlessPlatform::releasePixmap(Managed& w) {
  if (w.pixmap && x_->alive())
    XFreePixmap(x_->get(), w.pixmap);
  w.pixmap = 0;
}

void SeamlessPlatform::updateClientList() {
  std::vector<Window> list;
  for (const auto& [wid, w] : windows_) {
    if (!w.overrideRedirect)
      list.push_back(w.xid);
  }
  XChangeProperty(x_->get(), x_->root(), atoms_->netClientList, XA_WINDOW, 32, PropModeReplace,
                  reinterpret_cast<const unsigned char*>(list.data()),
                  static_cast<int>(list.size()));
}

PixelStore& SeamlessPlatform::storeFor(const Managed& w) {
  Display* d = x_->get();
  if (w.depth == DefaultDepth(d, x_->screen()))
    return *store24_;
  if (w.depth == 32) {
    if (!store32_) {
      requireBgrxVisual(*x_, w.visual, 32);  // ARGB: the same byte order, alpha in the X byte
      store32_ = std::make_unique<PixelStore>(*x_, w.visual, 32, options_.shm);
    }
    return *store32_;
  }
  throw Error(RDK_E_UNSUPPORTED, "seamless: window " + std::to_string(w.wid) + " has depth " +
                                     std::to_string(w.depth) + "; only 24 and 32 are captured");
}

rdk_image SeamlessPlatform::capture(uint64_t wid, const rdk_rect& rect) {
  x_->requireAlive();
  Managed* w = byWid(wid);
  if (!w)
    throw Error(RDK_E_INVALID_ARG, "seamless: no window " + std::to_string(wid));
  if (rect.w == 0 || rect.h == 0 || rect.x < 0 || rect.y < 0 ||
      static_cast<uint64_t>(rect.x) + rect.w > w->geometry.w ||
      static_cast<uint64_t>(rect.y) + rect.h > w->geometry.h) {
    throw Error(RDK_E_INVALID_ARG, "seamless: capture rectangle outside window " +
                                       std::to_string(wid) + " (" + std::to_string(w->geometry.w) +
                                       "x" + std::to_string(w->geometry.h) + ")");
  }
  Display* d = x_->get();
  if (!w->pixmap) {
    // Named per map and size: the server gives a window a new pixmap whenever either changes.
    XErrorTrap trap(d);
    const Pixmap pixmap = XCompositeNameWindowPixmap(d, w->xid);
    if (trap.sync() != 0) {
      if (pixmap)
        XFreePixmap(d, pixmap);
      throw Error(RDK_E_AGAIN, "seamless: window " + std::to_string(wid) + " has no pixmap now");
    }
    w->pixmap = pixmap;
  }
  PixelStore& store = storeFor(*w);
  // The pixmap includes the border: the inside starts at (border, border).
  XImage* img = store.read(w->pixmap, rect.x + w->border, rect.y + w->border, rect.w, rect.h);
  if (!loggedCapturePath_) {
    loggedCapturePath_ = true;
    host_.log(RDK_LOG_INFO, "seamless: capturing window pixmaps on " + x_->name() +
                                (store.usingShm() ? " with MIT-SHM" : " with XGetSubImage"));
  }
  rdk_image out{};
  out.struct_size = sizeof(out);
  out.width = rect.w;
  out.height = rect.h;
  out.stride = static_cast<uint32_t>(img->bytes_per_line);
  out.format = w->depth == 32 ? RDK_PIXEL_BGRA : RDK_PIXEL_BGRX;
  out.pixels = reinterpret_cast<const uint8_t*>(img->data);
  return out;
}

void SeamlessPlatform::focus(Managed& w) {
  if (w.overrideRedirect || focused_ == w.xid)
    return;
  Display* d = x_->get();
  XErrorTrap trap(d);
  if (hasProtocol(d, w.xid, *atoms_, atoms_->wmTakeFocus)) {
    XEvent message{};
    message.xclient.type = ClientMessage;
    message.xclient.window = w.xid;
    message.xclient.message_type = atoms_->wmProtocols;
    message.xclient.format = 32;
    message.xclient.data.l[0] = static_cast<long>(atoms_->wmTakeFocus);
    message.xclient.data.l[1] = CurrentTime;
    XSendEvent(d, w.xid, False, NoEventMask, &message);
  }
  XSetInputFocus(d, w.xid, RevertToParent, CurrentTime);
  XChangeProperty(d, x_->root(), atoms_->netActiveWindow, XA_WINDOW, 32, PropModeReplace,
                  reinterpret_cast<const unsigned char*>(&w.xid), 1);
  if (trap.sync() == 0)
    focused_ = w.xid;
}

void SeamlessPlatform::inject(const rdk_input_event& e) {
  x_->requireAlive();
  Managed* w = byWid(e.wid);
  switch (e.type) {
    case RDK_INPUT_KEY:
      // Keys go where X's focus is: the window the client typed into gets it first. A key for
      // no window of ours (wid 0, or one just closed) goes to whatever has the focus.
      if (w)
        focus(*w);
      injector_->key(e.keyname ? e.keyname : "", e.keyval, e.keycode, e.pressed != 0);
      return;
    case RDK_INPUT_BUTTON:
    case RDK_INPUT_MOTION:
      if (!w) {
        throw Error(RDK_E_INVALID_ARG,
                    "seamless: pointer input for unknown window " + std::to_string(e.wid));
      }
      if (e.type == RDK_INPUT_BUTTON && e.pressed && !w->overrideRedirect) {
        // Click to focus, and on top so that the click lands on this window, not one that
        // overlaps it on the virtual screen.
        XRaiseWindow(x_->get(), w->xid);
        focus(*w);
      }
      pointerWid_ = w->wid;
      injector_->motion(w->geometry.x + e.x, w->geometry.y + e.y);
      if (e.type == RDK_INPUT_BUTTON)
        injector_->button(e.button, e.pressed != 0);
      return;
  }
  throw Error(RDK_E_INVALID_ARG, "seamless: unknown input type " + std::to_string(e.type));
}

}  // namespace rdk::x11
