#include "client_window.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>

#include <algorithm>
#include <cstring>

#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

constexpr uint32_t kMaxSide = 16384;

uint32_t side(uint32_t v) {
  return std::clamp<uint32_t>(v, 1, kMaxSide);
}

Atom atom(Display* d, const char* name) {
  return XInternAtom(d, name, False);
}

}  // namespace

ClientWindow::ClientWindow(XConnection& x, uint64_t wid, WindowKind kind, const rdk_rect& rect,
                           const WindowLook& look, bool shm)
    : x_(x),
      wid_(wid),
      width_(side(rect.w)),
      height_(side(rect.h)),
      backing_(x, DefaultVisual(x.get(), x.screen()), DefaultDepth(x.get(), x.screen()), shm) {
  Display* d = x_.get();
  XSetWindowAttributes attrs{};
  attrs.background_pixel = BlackPixel(d, x_.screen());
  attrs.override_redirect = kind == WindowKind::kOverrideRedirect ? True : False;
  attrs.event_mask = ExposureMask | KeyPressMask | KeyReleaseMask | ButtonPressMask |
                     ButtonReleaseMask | PointerMotionMask | StructureNotifyMask;
  window_ =
      XCreateWindow(d, x_.root(), rect.x, rect.y, width_, height_, 0, CopyFromParent, InputOutput,
                    CopyFromParent, CWBackPixel | CWOverrideRedirect | CWEventMask, &attrs);
  gc_ = XCreateGC(d, window_, 0, nullptr);
  // Ask a window manager, if any, to keep the position the server chose.
  XSizeHints hints{};
  hints.flags = USPosition | PPosition | USSize | PSize;
  hints.x = rect.x;
  hints.y = rect.y;
  hints.width = static_cast<int>(width_);
  hints.height = static_cast<int>(height_);
  XSetWMNormalHints(d, window_, &hints);
  std::string resName = "rdkernel", resClass = look.resClass.empty() ? "rdkernel" : look.resClass;
  XClassHint classHint{resName.data(), resClass.data()};
  XSetClassHint(d, window_, &classHint);
  const std::string type =
      "_NET_WM_WINDOW_TYPE_" + (kind == WindowKind::kTray ? std::string("UTILITY")
                                : look.windowType.empty() ? "NORMAL"
                                                          : look.windowType);
  const Atom typeAtom = atom(d, type.c_str());
  XChangeProperty(d, window_, atom(d, "_NET_WM_WINDOW_TYPE"), XA_ATOM, 32, PropModeReplace,
                  reinterpret_cast<const unsigned char*>(&typeAtom), 1);
  Atom deleteWindow = atom(d, "WM_DELETE_WINDOW");
  XSetWMProtocols(d, window_, &deleteWindow, 1);
  setTitle(look.title);
  resizeBacking(width_, height_);
  XMapWindow(d, window_);
  XFlush(d);
}

ClientWindow::~ClientWindow() {
  if (!x_.alive())
    return;
  XFreeGC(x_.get(), gc_);
  XDestroyWindow(x_.get(), window_);
  XFlush(x_.get());
}

void ClientWindow::resizeBacking(uint32_t width, uint32_t height) {
  // Keep what was painted where the old and new sizes overlap.
  std::vector<uint8_t> old;
  const uint32_t oldW = image_ ? static_cast<uint32_t>(image_->width) : 0;
  const uint32_t oldH = image_ ? static_cast<uint32_t>(image_->height) : 0;
  if (image_)
    old.assign(image_->data, image_->data + static_cast<size_t>(oldW) * oldH * 4);
  image_ = backing_.image(width, height);
  std::memset(image_->data, 0, static_cast<size_t>(width) * height * 4);
  const uint32_t w = std::min(oldW, width), h = std::min(oldH, height);
  for (uint32_t y = 0; y < h; ++y) {
    std::memcpy(image_->data + static_cast<size_t>(y) * width * 4,
                old.data() + static_cast<size_t>(y) * oldW * 4, static_cast<size_t>(w) * 4);
  }
  width_ = width;
  height_ = height;
}

void ClientWindow::moveResize(const rdk_rect& rect) {
  const uint32_t w = side(rect.w), h = side(rect.h);
  if (w != width_ || h != height_)
    resizeBacking(w, h);
  XMoveResizeWindow(x_.get(), window_, rect.x, rect.y, w, h);
  XFlush(x_.get());
}

void ClientWindow::resize(uint32_t width, uint32_t height) {
  const uint32_t w = side(width), h = side(height);
  if (w != width_ || h != height_)
    resizeBacking(w, h);
  XResizeWindow(x_.get(), window_, w, h);
  XFlush(x_.get());
}

void ClientWindow::raise() {
  XRaiseWindow(x_.get(), window_);
  XFlush(x_.get());
}

void ClientWindow::setTitle(const std::string& title) {
  Display* d = x_.get();
  XStoreName(d, window_, title.c_str());
  XChangeProperty(d, window_, atom(d, "_NET_WM_NAME"), atom(d, "UTF8_STRING"), 8, PropModeReplace,
                  reinterpret_cast<const unsigned char*>(title.data()),
                  static_cast<int>(title.size()));
  XFlush(d);
}

void ClientWindow::setCursor(Cursor cursor) {
  XDefineCursor(x_.get(), window_, cursor);
  XFlush(x_.get());
}

void ClientWindow::paint(int32_t x, int32_t y, const rdk_image& image) {
  int bytesPerPixel = 4;
  switch (image.format) {
    case RDK_PIXEL_BGRX:
    case RDK_PIXEL_BGRA:
    case RDK_PIXEL_RGBX:
      break;
    case RDK_PIXEL_RGB:
      bytesPerPixel = 3;
      break;
    default:
      throw Error(RDK_E_INVALID_ARG, "x11: unknown pixel format " + std::to_string(image.format));
  }
  if (!image.pixels || image.stride < image.width * static_cast<uint32_t>(bytesPerPixel)) {
    throw Error(RDK_E_INVALID_ARG, "x11: paint image without pixels or with a short stride");
  }
  const int32_t x0 = std::max(x, 0), y0 = std::max(y, 0);
  const int32_t x1 = std::min<int64_t>(int64_t{x} + image.width, width_);
  const int32_t y1 = std::min<int64_t>(int64_t{y} + image.height, height_);
  if (x1 <= x0 || y1 <= y0)
    return;  // entirely outside the window (it shrank meanwhile)
  const bool rgbOrder = image.format == RDK_PIXEL_RGBX || image.format == RDK_PIXEL_RGB;
  for (int32_t row = y0; row < y1; ++row) {
    const uint8_t* src = image.pixels + static_cast<size_t>(row - y) * image.stride +
                         static_cast<size_t>(x0 - x) * bytesPerPixel;
    uint8_t* dst =
        reinterpret_cast<uint8_t*>(image_->data) + (static_cast<size_t>(row) * width_ + x0) * 4;
    if (!rgbOrder && bytesPerPixel == 4) {
      std::memcpy(dst, src, static_cast<size_t>(x1 - x0) * 4);
      continue;
    }
    for (int32_t col = x0; col < x1; ++col, src += bytesPerPixel, dst += 4) {
      dst[0] = rgbOrder ? src[2] : src[0];
      dst[1] = src[1];
      dst[2] = rgbOrder ? src[0] : src[2];
      dst[3] = 0xff;
    }
  }
  backing_.write(window_, gc_, image_, x0, y0, x1 - x0, y1 - y0);
}

void ClientWindow::expose(int32_t x, int32_t y, int32_t w, int32_t h) {
  const int32_t x0 = std::max(x, 0), y0 = std::max(y, 0);
  const int32_t x1 = std::min<int64_t>(int64_t{x} + w, width_);
  const int32_t y1 = std::min<int64_t>(int64_t{y} + h, height_);
  if (x1 <= x0 || y1 <= y0)
    return;
  backing_.write(window_, gc_, image_, x0, y0, x1 - x0, y1 - y0);
}

}  // namespace rdk::x11
