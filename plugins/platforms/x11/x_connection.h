// An Xlib display connection owned by one platform object, with the two things Xlib does not give
// a library for free: X protocol errors that are trapped instead of killing the process, and an
// I/O error (the X server went away) that marks the connection dead instead of calling exit().
#pragma once

#include <X11/Xlib.h>

#include <atomic>
#include <string>

namespace rdk::x11 {

/// The process-wide Xlib error handler this plugin installs (routes errors to XErrorTrap).
int onXError(Display* display, XErrorEvent* event);

class XConnection {
 public:
  /// Opens |name| (":N"; empty means $DISPLAY). Throws rdk::Error(RDK_E_NO_DEVICE) on failure.
  explicit XConnection(const std::string& name);
  ~XConnection();
  XConnection(const XConnection&) = delete;
  XConnection& operator=(const XConnection&) = delete;

  Display* get() const { return display_; }
  const std::string& name() const { return name_; }
  int screen() const { return DefaultScreen(display_); }
  Window root() const { return RootWindow(display_, screen()); }
  /// False once the X server connection broke; every later call must throw RDK_E_CLOSED.
  bool alive() const { return alive_.load(); }
  /// Throws rdk::Error(RDK_E_CLOSED) when the connection is dead.
  void requireAlive() const;

 private:
  static void onIoErrorExit(Display* display, void* self);

  std::string name_;
  Display* display_ = nullptr;
  std::atomic<bool> alive_{true};
};

/// Traps X protocol errors raised on the calling thread while it lives. sync() waits for the X
/// server to process everything sent so far and returns the first error code seen (0 = none).
class XErrorTrap {
 public:
  explicit XErrorTrap(Display* display);
  ~XErrorTrap();
  XErrorTrap(const XErrorTrap&) = delete;
  XErrorTrap& operator=(const XErrorTrap&) = delete;

  int sync();
  int errorCode() const { return errorCode_; }

 private:
  friend int onXError(Display*, XErrorEvent*);
  Display* display_;
  XErrorTrap* previous_;
  int errorCode_ = 0;
};

/// The X error text for |code|, e.g. "BadWindow (invalid Window parameter)".
std::string errorText(Display* display, int code);

}  // namespace rdk::x11
