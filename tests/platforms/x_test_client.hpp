// A tiny X client for the tests: draws known pixels, owns input windows, reads events and pixels.
#pragma once

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rdk::test {

class XTestClient {
 public:
  explicit XTestClient(const std::string& display) : d_(XOpenDisplay(display.c_str())) {
    if (!d_)
      throw std::runtime_error("test client cannot open " + display);
  }
  ~XTestClient() { XCloseDisplay(d_); }
  XTestClient(const XTestClient&) = delete;
  XTestClient& operator=(const XTestClient&) = delete;

  Display* display() const { return d_; }
  Window root() const { return DefaultRootWindow(d_); }

  /// Fills |x|,|y|,|w|,|h| of |drawable| (the root by default) with 0xRRGGBB.
  void fill(int x, int y, unsigned w, unsigned h, uint32_t rgb, Drawable drawable = 0) {
    GC gc = XCreateGC(d_, drawable ? drawable : root(), 0, nullptr);
    XSetForeground(d_, gc, rgb);
    XFillRectangle(d_, drawable ? drawable : root(), gc, x, y, w, h);
    XFreeGC(d_, gc);
    XSync(d_, False);
  }

  /// An override-redirect window (placed exactly, no window manager needed) receiving input.
  Window inputWindow(int x, int y, unsigned w, unsigned h) {
    XSetWindowAttributes a{};
    a.override_redirect = True;
    a.background_pixel = 0x406080;
    a.event_mask =
        KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask | StructureNotifyMask;
    Window win = XCreateWindow(d_, root(), x, y, w, h, 0, CopyFromParent, InputOutput,
                               CopyFromParent, CWOverrideRedirect | CWBackPixel | CWEventMask, &a);
    XMapRaised(d_, win);
    XSync(d_, False);
    XEvent ev;
    waitFor([&] { return XCheckTypedWindowEvent(d_, win, MapNotify, &ev); }, 2000);
    XSetInputFocus(d_, win, RevertToPointerRoot, CurrentTime);
    XSync(d_, False);
    return win;
  }

  /// The next event of one of |types| for |win|, or false after |ms|.
  bool nextEvent(Window win, std::initializer_list<int> types, XEvent& out, int ms = 2000) {
    return waitFor(
        [&] {
          for (int t : types) {
            if (XCheckTypedWindowEvent(d_, win, t, &out))
              return true;
          }
          return false;
        },
        ms);
  }

  /// |w| x |h| pixels at |x|,|y| of the root as packed BGRX.
  std::vector<uint8_t> pixels(int x, int y, unsigned w, unsigned h) {
    XImage* img = XGetImage(d_, root(), x, y, w, h, AllPlanes, ZPixmap);
    if (!img)
      throw std::runtime_error("XGetImage failed");
    std::vector<uint8_t> out;
    for (unsigned row = 0; row < h; ++row) {
      const auto* p = reinterpret_cast<const uint8_t*>(img->data) + row * img->bytes_per_line;
      for (unsigned col = 0; col < w; ++col) {
        out.insert(out.end(), {p[col * 4], p[col * 4 + 1], p[col * 4 + 2], 0});
      }
    }
    XDestroyImage(img);
    return out;
  }

  /// Polls |ready| every 5 ms for up to |ms|.
  static bool waitFor(const std::function<bool()>& ready, int ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (true) {
      if (ready())
        return true;
      if (std::chrono::steady_clock::now() > deadline)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

 private:
  Display* d_;
};

/// Monotonic microseconds, as the kernel passes to poll().
inline uint64_t nowUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

/// Packed BGRX with the X byte zeroed, to compare captures whatever the padding byte holds.
inline std::vector<uint8_t> withoutPadding(std::vector<uint8_t> bgrx) {
  for (size_t i = 3; i < bgrx.size(); i += 4)
    bgrx[i] = 0;
  return bgrx;
}

}  // namespace rdk::test
