#include "x11_display.h"

#include <X11/XKBlib.h>
#include <X11/Xcursor/Xcursor.h>
#include <X11/Xutil.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "rdk/json.hpp"

namespace rdk::x11 {
namespace {

constexpr int kMaxEventsPerPoll = 4096;  // the rest waits for the next poll

/// The fields of Xpra window metadata the native window uses, from a JSON object.
WindowLook lookFrom(const char* json) {
  WindowLook look;
  if (!json || !*json)
    return look;
  try {
    const json::Value o = json::Value::parse(json);
    if (!o.isObject())
      return look;
    // Fields of another type (a title that was not UTF-8 arrives as {"$bytes": ...}) are left
    // out rather than refusing the window: the look is cosmetic.
    if (const json::Value* title = o.find("title"); title && title->isString())
      look.title = title->asString();
    if (const json::Value* types = o.find("window-type");
        types && types->isArray() && !types->asArray().empty() && types->asArray()[0].isString()) {
      look.windowType = types->asArray()[0].asString();
    }
    if (const json::Value* ci = o.find("class-instance");
        ci && ci->isArray() && ci->asArray().size() > 1 && ci->asArray()[1].isString()) {
      look.resClass = ci->asArray()[1].asString();
    }
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("x11: bad window metadata: ") + e.what());
  }
  return look;
}

}  // namespace

X11Display::X11Display(const X11Options& options, InputCallback callback, void* host)
    : options_(options), callback_(callback), host_(host), x_(options.display) {
  requireBgrxVisual(x_, DefaultVisual(x_.get(), x_.screen()), DefaultDepth(x_.get(), x_.screen()));
}

X11Display::~X11Display() {
  windows_.clear();
  if (cursor_ && x_.alive())
    XFreeCursor(x_.get(), cursor_);
}

ClientWindow& X11Display::window(uint64_t wid) {
  auto it = windows_.find(wid);
  if (it == windows_.end())
    throw Error(RDK_E_INVALID_ARG, "x11: no window " + std::to_string(wid));
  return *it->second;
}

void X11Display::createWindow(const rdk_window_event& e) {
  if (windows_.count(e.wid)) {
    throw Error(RDK_E_INVALID_ARG, "x11: window " + std::to_string(e.wid) + " already exists");
  }
  const WindowKind kind = e.type == RDK_WINDOW_NEW_OVERRIDE_REDIRECT ? WindowKind::kOverrideRedirect
                          : e.type == RDK_WINDOW_NEW_TRAY            ? WindowKind::kTray
                                                                     : WindowKind::kNormal;
  auto w = std::make_unique<ClientWindow>(x_, e.wid, kind, e.rect, lookFrom(e.metadata_json),
                                          options_.shm);
  if (cursor_)
    w->setCursor(cursor_);
  wids_[w->handle()] = e.wid;
  windows_[e.wid] = std::move(w);
}

void X11Display::applyMetadata(ClientWindow& w, const std::string& json) {
  const WindowLook look = lookFrom(json.c_str());
  if (json.find("\"title\"") != std::string::npos)
    w.setTitle(look.title);
}

void X11Display::applyCursor(const rdk_window_event& e) {
  Display* d = x_.get();
  Cursor cursor = None;  // no image: back to the default cursor (Xpra's ["cursor", ""])
  if (const rdk_image* img = e.image) {
    if (!img->pixels || img->width == 0 || img->height == 0 || img->width > 256 ||
        img->height > 256 || img->stride < img->width * 4 ||
        (img->format != RDK_PIXEL_BGRA && img->format != RDK_PIXEL_BGRX)) {
      throw Error(RDK_E_INVALID_ARG, "x11: cursor event without a usable BGRA image");
    }
    // Full colour with alpha, as Xpra's clients show it (Xcursor makes a Render cursor; the
    // core two-colour cursor this replaced lost every shade). The pixels go as they come: an x11
    // server sends XFixes' own, which are the premultiplied ARGB Xcursor takes.
    XcursorImage* image =
        XcursorImageCreate(static_cast<int>(img->width), static_cast<int>(img->height));
    if (!image)
      throw Error(RDK_E_INTERNAL, "x11: XcursorImageCreate failed");
    image->xhot = static_cast<XcursorDim>(std::clamp<int32_t>(e.rect.x, 0, img->width - 1));
    image->yhot = static_cast<XcursorDim>(std::clamp<int32_t>(e.rect.y, 0, img->height - 1));
    for (uint32_t y = 0; y < img->height; ++y) {
      const uint8_t* row = img->pixels + static_cast<size_t>(y) * img->stride;
      for (uint32_t x = 0; x < img->width; ++x) {
        const uint8_t* p = row + x * 4;
        const uint32_t alpha = img->format == RDK_PIXEL_BGRA ? p[3] : 0xff;
        image->pixels[y * img->width + x] =
            alpha << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | uint32_t(p[0]);
      }
    }
    cursor = XcursorImageLoadCursor(d, image);
    XcursorImageDestroy(image);
    if (!cursor)
      throw Error(RDK_E_INTERNAL, "x11: the display refused the cursor");
  }
  for (auto& [wid, win] : windows_)
    win->setCursor(cursor);
  if (cursor_)
    XFreeCursor(d, cursor_);
  cursor_ = cursor;
}

void X11Display::displayWindow(const rdk_window_event& e) {
  x_.requireAlive();
  switch (e.type) {
    case RDK_WINDOW_NEW:
    case RDK_WINDOW_NEW_OVERRIDE_REDIRECT:
    case RDK_WINDOW_NEW_TRAY:
      createWindow(e);
      return;
    case RDK_WINDOW_MOVE_RESIZE:
      window(e.wid).moveResize(e.rect);
      return;
    case RDK_WINDOW_RESIZED:
      window(e.wid).resize(e.rect.w, e.rect.h);
      return;
    case RDK_WINDOW_RAISE:
      window(e.wid).raise();
      return;
    case RDK_WINDOW_METADATA:
      applyMetadata(window(e.wid), e.metadata_json ? e.metadata_json : "");
      return;
    case RDK_WINDOW_LOST: {
      auto it = windows_.find(e.wid);
      if (it == windows_.end())
        return;  // lost twice, or never shown: nothing to do
      wids_.erase(it->second->handle());
      windows_.erase(it);
      return;
    }
    case RDK_WINDOW_BELL: {
      auto it = windows_.find(e.wid);
      XkbBell(x_.get(), it == windows_.end() ? None : it->second->handle(), 0, None);
      XFlush(x_.get());
      return;
    }
    case RDK_WINDOW_CURSOR:
      applyCursor(e);
      return;
    case RDK_WINDOW_DAMAGE:
    case RDK_WINDOW_SOUND:
    case RDK_WINDOW_POINTER:
      // Server-side notions (damage, sound, where the remote pointer is): a native window has
      // nothing to do with them; the client session handles sound itself.
      return;
  }
  throw Error(RDK_E_INVALID_ARG, "x11: unknown window event type " + std::to_string(e.type));
}

void X11Display::displayPaint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) {
  x_.requireAlive();
  window(wid).paint(x, y, image);
}

void X11Display::report(rdk_input_event& event) {
  event.struct_size = sizeof(event);
  if (callback_)
    callback_(host_, &event);
}

void X11Display::handle(XEvent& ev, std::optional<rdk_input_event>& pendingMotion) {
  auto it = wids_.find(ev.xany.window);
  if (it == wids_.end())
    return;  // a window destroyed a moment ago
  const uint64_t wid = it->second;
  switch (ev.type) {
    case Expose:
      windows_.at(wid)->expose(ev.xexpose.x, ev.xexpose.y, ev.xexpose.width, ev.xexpose.height);
      return;
    case KeyPress:
    case KeyRelease: {
      char text[32];
      KeySym sym = NoSymbol;
      XLookupString(&ev.xkey, text, sizeof(text), &sym, nullptr);
      const char* name = sym == NoSymbol ? nullptr : XKeysymToString(sym);
      rdk_input_event in{};
      in.type = RDK_INPUT_KEY;
      in.wid = wid;
      in.pressed = ev.type == KeyPress;
      in.keycode = ev.xkey.keycode;
      in.keyval = static_cast<uint32_t>(sym);
      in.keyname = name ? name : "";
      in.modifiers = ev.xkey.state;
      in.x = ev.xkey.x;
      in.y = ev.xkey.y;
      report(in);
      return;
    }
    case ButtonPress:
    case ButtonRelease: {
      rdk_input_event in{};
      in.type = RDK_INPUT_BUTTON;
      in.wid = wid;
      in.pressed = ev.type == ButtonPress;
      in.button = ev.xbutton.button;
      in.x = ev.xbutton.x;
      in.y = ev.xbutton.y;
      in.modifiers = ev.xbutton.state;
      if (pendingMotion) {  // keep motion and clicks in order
        report(*pendingMotion);
        pendingMotion.reset();
      }
      report(in);
      return;
    }
    case MotionNotify: {
      rdk_input_event in{};
      in.type = RDK_INPUT_MOTION;
      in.wid = wid;
      in.x = ev.xmotion.x;
      in.y = ev.xmotion.y;
      in.modifiers = ev.xmotion.state;
      if (pendingMotion && pendingMotion->wid != wid)
        report(*pendingMotion);
      pendingMotion = in;  // only the latest position per poll matters
      return;
    }
    default:
      return;  // ConfigureNotify, MapNotify, ClientMessage...: nothing to report
  }
}

void X11Display::displayPoll() {
  x_.requireAlive();
  Display* d = x_.get();
  std::optional<rdk_input_event> pendingMotion;
  for (int n = std::min(XPending(d), kMaxEventsPerPoll); n > 0 && x_.alive(); --n) {
    XEvent ev;
    XNextEvent(d, &ev);
    handle(ev, pendingMotion);
  }
  if (pendingMotion)
    report(*pendingMotion);
  XFlush(d);
  x_.requireAlive();
}

}  // namespace rdk::x11
