#include "x_connection.h"

#include <cstdlib>
#include <mutex>

#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

thread_local XErrorTrap* currentTrap = nullptr;

// Errors nobody trapped: recorded nowhere on purpose. Xlib's default handler would exit(1) on
// e.g. a BadWindow for a window the X client destroyed a moment ago, which a server must survive.
int onUntrappedError(Display*, XErrorEvent*) {
  return 0;
}

// Xlib's default I/O error handler exits the process itself. Ours returns, so the per-display exit
// handler decides: XConnection marks its display dead; displays opened by others keep Xlib's
// default exit handler and so its behaviour.
int onIoError(Display*) {
  return 0;
}

void installHandlersOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    XSetErrorHandler(&onXError);
    XSetIOErrorHandler(&onIoError);
  });
}

}  // namespace

int onXError(Display* display, XErrorEvent* event) {
  XErrorTrap* trap = currentTrap;
  if (!trap || trap->display_ != display)
    return onUntrappedError(display, event);
  if (trap->errorCode_ == 0)
    trap->errorCode_ = event->error_code;
  return 0;
}

XConnection::XConnection(const std::string& name) : name_(name) {
  installHandlersOnce();
  const char* target = name.empty() ? nullptr : name.c_str();
  display_ = XOpenDisplay(target);
  if (!display_) {
    const char* env = std::getenv("DISPLAY");
    throw Error(RDK_E_NO_DEVICE,
                "x11: cannot open display '" +
                    (name.empty() ? std::string(env ? env : "(unset $DISPLAY)") : name) + "'");
  }
  if (name_.empty())
    name_ = DisplayString(display_);
  XSetIOErrorExitHandler(display_, &XConnection::onIoErrorExit, this);
}

XConnection::~XConnection() {
  // A dead connection still owns its memory; XCloseDisplay frees it without talking to the server
  // being required to succeed.
  if (display_)
    XCloseDisplay(display_);
}

void XConnection::onIoErrorExit(Display*, void* self) {
  // Returning (instead of exiting, Xlib's default) leaves the connection broken; we stop using it.
  static_cast<XConnection*>(self)->alive_.store(false);
}

void XConnection::requireAlive() const {
  if (!alive())
    throw Error(RDK_E_CLOSED, "x11: lost the connection to display " + name_);
}

XErrorTrap::XErrorTrap(Display* display) : display_(display), previous_(currentTrap) {
  installHandlersOnce();
  currentTrap = this;
}

XErrorTrap::~XErrorTrap() {
  currentTrap = previous_;
}

int XErrorTrap::sync() {
  XSync(display_, False);
  return errorCode_;
}

std::string errorText(Display* display, int code) {
  char text[256] = {0};
  XGetErrorText(display, code, text, sizeof(text));
  return text;
}

}  // namespace rdk::x11
