#include "shadow_platform.h"

#include <X11/XKBlib.h>

#include <algorithm>
#include <vector>

#include "damage_clusters.h"
#include "json_text.h"

namespace rdk::x11 {
namespace {

// Damage rectangles this close join one box when a poll brings too many (glyphs of a line, the
// lines of a terminal); farther apart they stay separate pictures.
constexpr int64_t kDamageClusterGap = 64;

}  // namespace

ShadowPlatform::ShadowPlatform(const X11Options& options, const rdk_platform_callbacks& callbacks,
                               const rdk::Host& host)
    : options_(options),
      callbacks_(callbacks),
      host_(host),
      x_(options.display),
      store_(x_, DefaultVisual(x_.get(), x_.screen()), DefaultDepth(x_.get(), x_.screen()),
             options.shm),
      injector_(x_) {
  if (!callbacks_.on_event)
    throw Error(RDK_E_INVALID_ARG, "x11: callbacks.on_event is NULL");
  Display* d = x_.get();
  requireBgrxVisual(x_, DefaultVisual(d, x_.screen()), DefaultDepth(d, x_.screen()));
  width_ = static_cast<uint32_t>(DisplayWidth(d, x_.screen()));
  height_ = static_cast<uint32_t>(DisplayHeight(d, x_.screen()));
  int errorBase = 0;
  if (!XDamageQueryExtension(d, &damageEventBase_, &errorBase)) {
    throw Error(RDK_E_NO_DEVICE, "x11: display " + x_.name() + " lacks the DAMAGE extension");
  }
  if (!XFixesQueryExtension(d, &fixesEventBase_, &errorBase)) {
    throw Error(RDK_E_NO_DEVICE, "x11: display " + x_.name() + " lacks the XFIXES extension");
  }
  damage_ = XDamageCreate(d, x_.root(), XDamageReportNonEmpty);
  region_ = XFixesCreateRegion(d, nullptr, 0);
  XFixesSelectCursorInput(d, x_.root(), XFixesDisplayCursorNotifyMask);
  XSelectInput(d, x_.root(), StructureNotifyMask);
  int opcode = 0, xkbError = 0, major = XkbMajorVersion, minor = XkbMinorVersion;
  if (XkbQueryExtension(d, &opcode, &xkbEventBase_, &xkbError, &major, &minor)) {
    XkbSelectEvents(d, XkbUseCoreKbd, XkbBellNotifyMask, XkbBellNotifyMask);
  } else {
    xkbEventBase_ = -1;  // no XKB: bells are not reported
  }
  XSync(d, False);
}

ShadowPlatform::~ShadowPlatform() {
  if (!x_.alive())
    return;
  if (region_)
    XFixesDestroyRegion(x_.get(), region_);
  if (damage_)
    XDamageDestroy(x_.get(), damage_);
  XSync(x_.get(), False);
}

void ShadowPlatform::emit(uint32_t type, const rdk_rect& rect, const std::string& metadata,
                          const rdk_image* image) {
  rdk_window_event e{};
  e.struct_size = sizeof(e);
  e.type = type;
  e.wid = kRootWid;
  e.rect = rect;
  e.metadata_json = metadata.empty() ? nullptr : metadata.c_str();
  e.image = image;
  callbacks_.on_event(callbacks_.host, &e);
}

void ShadowPlatform::announce() {
  emit(RDK_WINDOW_NEW, screenRect(),
       "{\"title\":" + jsonString("shadow of " + x_.name()) +
           ",\"window-type\":[\"NORMAL\"],\"class-instance\":[\"rdk-shadow\",\"X11\"]," +
           "\"shadow\":true}");
  emit(RDK_WINDOW_DAMAGE, screenRect());
  emitCursor();
  announced_ = true;
}

void ShadowPlatform::poll(uint64_t nowUs) {
  x_.requireAlive();
  if (!announced_)
    announce();
  Display* d = x_.get();
  // Bounded: events that keep arriving while we work wait for the next poll.
  for (int n = XPending(d); n > 0 && x_.alive(); --n) {
    XEvent event;
    XNextEvent(d, &event);
    handleEvent(event);
  }
  x_.requireAlive();
  if (damagePending_)
    flushDamage();
  if (cursorChanged_)
    emitCursor();
  updatePointer(nowUs);
}

void ShadowPlatform::handleEvent(const XEvent& event) {
  if (event.type == damageEventBase_ + XDamageNotify) {
    damagePending_ = true;
  } else if (event.type == fixesEventBase_ + XFixesCursorNotify) {
    cursorChanged_ = true;
  } else if (event.type == MappingNotify) {
    // The keymap changed (XTEST injection maps missing keysyms): refresh Xlib's copy.
    XMappingEvent mapping = event.xmapping;
    XRefreshKeyboardMapping(&mapping);
  } else if (event.type == ConfigureNotify && event.xconfigure.window == x_.root()) {
    const auto w = static_cast<uint32_t>(event.xconfigure.width);
    const auto h = static_cast<uint32_t>(event.xconfigure.height);
    if (w != width_ || h != height_) {
      width_ = w;
      height_ = h;
      emit(RDK_WINDOW_RESIZED, screenRect());
      emit(RDK_WINDOW_DAMAGE, screenRect());
    }
  } else if (xkbEventBase_ >= 0 && event.type == xkbEventBase_) {
    const auto& xkb = reinterpret_cast<const XkbEvent&>(event);
    if (xkb.any.xkb_type == XkbBellNotify) {
      const XkbBellNotifyEvent& bell = xkb.bell;
      std::string name;
      if (bell.name != None) {
        char* text = XGetAtomName(x_.get(), bell.name);
        if (text) {
          name = text;
          XFree(text);
        }
      }
      emit(RDK_WINDOW_BELL, {},
           "{\"percent\":" + std::to_string(bell.percent) + ",\"pitch\":" +
               std::to_string(bell.pitch) + ",\"duration\":" + std::to_string(bell.duration) +
               ",\"name\":" + jsonString(name) + "}");
    }
  }
}

void ShadowPlatform::flushDamage() {
  damagePending_ = false;
  Display* d = x_.get();
  XDamageSubtract(d, damage_, None, region_);  // takes everything so far and resets the damage
  int count = 0;
  XRectangle* rects = XFixesFetchRegion(d, region_, &count);
  if (!rects)
    return;
  const rdk_rect screen = screenRect();
  auto clip = [&](int32_t x, int32_t y, int32_t w, int32_t h) -> rdk_rect {
    const int32_t x0 = std::max(x, 0), y0 = std::max(y, 0);
    const int32_t x1 = std::min<int32_t>(x + w, screen.w), y1 = std::min<int32_t>(y + h, screen.h);
    if (x1 <= x0 || y1 <= y0)
      return {};
    return {x0, y0, static_cast<uint32_t>(x1 - x0), static_cast<uint32_t>(y1 - y0)};
  };
  if (count > options_.maxDamageRects) {
    // Too many to send one by one: near ones joined, distant areas kept apart (damage_clusters.h).
    std::vector<rdk_rect> clipped;
    clipped.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
      clipped.push_back(clip(rects[i].x, rects[i].y, rects[i].width, rects[i].height));
    for (const rdk_rect& box :
         clusterDamage(clipped, kDamageClusterGap, static_cast<size_t>(options_.maxDamageRects)))
      emit(RDK_WINDOW_DAMAGE, box);
  } else {
    for (int i = 0; i < count; ++i) {
      const rdk_rect r = clip(rects[i].x, rects[i].y, rects[i].width, rects[i].height);
      if (r.w > 0)
        emit(RDK_WINDOW_DAMAGE, r);
    }
  }
  XFree(rects);
}

void ShadowPlatform::emitCursor() {
  cursorChanged_ = false;
  if (!readCursorImage(x_.get(), cursor_))
    return;  // no cursor right now (e.g. hidden); the next change reports again
  emit(RDK_WINDOW_CURSOR, cursor_.hotspotAndSize, cursor_.metadataJson, &cursor_.image);
}

void ShadowPlatform::updatePointer(uint64_t nowUs) {
  if (nowUs < nextPointerQueryUs_)
    return;
  nextPointerQueryUs_ = nowUs + static_cast<uint64_t>(options_.pointerIntervalMs) * 1000;
  Window rootReturn = 0, child = 0;
  int rootX = 0, rootY = 0, winX = 0, winY = 0;
  unsigned int mask = 0;
  if (!XQueryPointer(x_.get(), x_.root(), &rootReturn, &child, &rootX, &rootY, &winX, &winY,
                     &mask)) {
    return;  // the pointer is on another screen of this display
  }
  const std::pair<int32_t, int32_t> pos{rootX, rootY};
  if (pointer_ == pos)
    return;
  pointer_ = pos;
  emit(RDK_WINDOW_POINTER, {rootX, rootY, 0, 0});
}

rdk_image ShadowPlatform::capture(uint64_t wid, const rdk_rect& rect) {
  x_.requireAlive();
  if (wid != kRootWid) {
    throw Error(RDK_E_INVALID_ARG, "x11: no window " + std::to_string(wid) + " (shadow has 1)");
  }
  if (rect.w == 0 || rect.h == 0 || rect.x < 0 || rect.y < 0 ||
      static_cast<uint64_t>(rect.x) + rect.w > width_ ||
      static_cast<uint64_t>(rect.y) + rect.h > height_) {
    throw Error(RDK_E_INVALID_ARG, "x11: capture rectangle outside the " + std::to_string(width_) +
                                       "x" + std::to_string(height_) + " screen");
  }
  XImage* img = store_.read(x_.root(), rect.x, rect.y, rect.w, rect.h);
  if (!loggedCapturePath_) {
    loggedCapturePath_ = true;
    host_.log(RDK_LOG_INFO, "x11: capturing " + x_.name() +
                                (store_.usingShm() ? " with MIT-SHM" : " with XGetSubImage"));
  }
  rdk_image out{};
  out.struct_size = sizeof(out);
  out.width = rect.w;
  out.height = rect.h;
  out.stride = static_cast<uint32_t>(img->bytes_per_line);
  out.format = RDK_PIXEL_BGRX;
  out.pixels = reinterpret_cast<const uint8_t*>(img->data);
  return out;
}

void ShadowPlatform::inject(const rdk_input_event& e) {
  switch (e.type) {
    case RDK_INPUT_KEY:
      injector_.key(e.keyname ? e.keyname : "", e.keyval, e.keycode, e.pressed != 0);
      return;
    case RDK_INPUT_BUTTON:
    case RDK_INPUT_MOTION:
      if (e.wid != kRootWid) {
        throw Error(RDK_E_INVALID_ARG,
                    "x11: pointer input for unknown window " + std::to_string(e.wid));
      }
      // The shadow window is the root window, so window coordinates are root coordinates.
      injector_.motion(e.x, e.y);
      if (e.type == RDK_INPUT_BUTTON)
        injector_.button(e.button, e.pressed != 0);
      return;
  }
  throw Error(RDK_E_INVALID_ARG, "x11: unknown input type " + std::to_string(e.type));
}

}  // namespace rdk::x11
