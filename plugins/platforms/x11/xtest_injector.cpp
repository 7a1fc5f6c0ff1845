#include "xtest_injector.h"

#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include <algorithm>

#include "rdk/plugin.hpp"

namespace rdk::x11 {

XTestInjector::XTestInjector(XConnection& x) : x_(x) {
  int event = 0, error = 0, major = 0, minor = 0;
  available_ = XTestQueryExtension(x.get(), &event, &error, &major, &minor) == True;
}

XTestInjector::~XTestInjector() {
  if (!x_.alive())
    return;
  for (KeyCode k : keysDown_)
    XTestFakeKeyEvent(x_.get(), k, False, CurrentTime);
  for (uint32_t b : buttonsDown_)
    XTestFakeButtonEvent(x_.get(), b, False, CurrentTime);
  XSync(x_.get(), False);
}

KeyCode XTestInjector::resolve(const std::string& keyname, uint32_t keyval, uint32_t keycode,
                               bool& needsShift) {
  KeySym sym = keyname.empty() ? NoSymbol : XStringToKeysym(keyname.c_str());
  if (sym == NoSymbol)
    sym = keyval;
  needsShift = false;
  KeyCode code = sym == NoSymbol ? 0 : XKeysymToKeycode(x_.get(), sym);
  if (code == 0 && remapped_.count(sym)) {
    return remapped_[sym];  // mapped by us; our keymap cache may not know yet
  }
  if (code == 0 && sym != NoSymbol && XKeysymToString(sym) != nullptr) {
    return spareKeycodeFor(sym);  // a real keysym this keymap lacks (é, α...): map it ourselves
  }
  if (code == 0) {
    int minCode = 0, maxCode = 0;
    XDisplayKeycodes(x_.get(), &minCode, &maxCode);
    if (keycode >= static_cast<uint32_t>(minCode) && keycode <= static_cast<uint32_t>(maxCode)) {
      return static_cast<KeyCode>(keycode);  // the client's keycode: right when keymaps agree
    }
    throw Error(RDK_E_INVALID_ARG, "x11: key '" + keyname + "' (keysym " + std::to_string(keyval) +
                                       ") is unknown and has no keycode on display " + x_.name());
  }
  // A keysym found only on the shifted level ("A", "!") needs Shift held to come out as itself.
  needsShift = XkbKeycodeToKeysym(x_.get(), code, 0, 0) != sym &&
               XkbKeycodeToKeysym(x_.get(), code, 0, 1) == sym;
  return code;
}

KeyCode XTestInjector::spareKeycodeFor(KeySym sym) {
  if (spareCodes_.empty()) {
    // Keycodes without any keysym, found once; the keymap is ours to extend on them.
    int minCode = 0, maxCode = 0, perCode = 0;
    XDisplayKeycodes(x_.get(), &minCode, &maxCode);
    KeySym* map = XGetKeyboardMapping(x_.get(), static_cast<KeyCode>(minCode),
                                      maxCode - minCode + 1, &perCode);
    for (int code = maxCode; map && code >= minCode; --code) {
      const KeySym* syms = map + static_cast<size_t>(code - minCode) * perCode;
      if (std::all_of(syms, syms + perCode, [](KeySym k) { return k == NoSymbol; })) {
        spareCodes_.push_back(static_cast<KeyCode>(code));
      }
    }
    if (map)
      XFree(map);
    if (spareCodes_.empty()) {
      throw Error(RDK_E_UNSUPPORTED, std::string("x11: no free keycode on display ") + x_.name() +
                                         " to map keysym " + XKeysymToString(sym));
    }
  }
  // Round robin: the oldest remapped keycode is reused once all spare ones are taken.
  const KeyCode code = spareCodes_[nextSpare_++ % spareCodes_.size()];
  std::erase_if(remapped_, [code](const auto& entry) { return entry.second == code; });
  remapped_[sym] = code;
  KeySym mapped[2] = {sym, sym};
  XChangeKeyboardMapping(x_.get(), code, 2, mapped, 1);
  XSync(x_.get(), False);
  return code;
}

void XTestInjector::finish(const char* what) {
  XErrorTrap trap(x_.get());
  const int error = trap.sync();
  x_.requireAlive();
  if (error != 0) {
    throw Error(RDK_E_INVALID_ARG,
                std::string("x11: injecting ") + what + " failed: " + errorText(x_.get(), error));
  }
}

void XTestInjector::key(const std::string& keyname, uint32_t keyval, uint32_t keycode,
                        bool pressed) {
  if (!available_)
    throw Error(RDK_E_UNSUPPORTED, "x11: display " + x_.name() + " lacks XTEST");
  x_.requireAlive();
  bool needsShift = false;
  const KeyCode code = resolve(keyname, keyval, keycode, needsShift);
  const KeyCode shift = XKeysymToKeycode(x_.get(), XK_Shift_L);
  if (pressed) {
    if (needsShift && shift)
      XTestFakeKeyEvent(x_.get(), shift, True, CurrentTime);
    XTestFakeKeyEvent(x_.get(), code, True, CurrentTime);
    if (needsShift && shift)
      XTestFakeKeyEvent(x_.get(), shift, False, CurrentTime);
    keysDown_.insert(code);
  } else {
    XTestFakeKeyEvent(x_.get(), code, False, CurrentTime);
    keysDown_.erase(code);
  }
  finish("a key");
}

void XTestInjector::motion(int32_t x, int32_t y) {
  if (!available_)
    throw Error(RDK_E_UNSUPPORTED, "x11: display " + x_.name() + " lacks XTEST");
  x_.requireAlive();
  XTestFakeMotionEvent(x_.get(), x_.screen(), x, y, CurrentTime);
  finish("pointer motion");
}

void XTestInjector::button(uint32_t button, bool pressed) {
  if (!available_)
    throw Error(RDK_E_UNSUPPORTED, "x11: display " + x_.name() + " lacks XTEST");
  if (button < 1 || button > 255) {
    throw Error(RDK_E_INVALID_ARG, "x11: button " + std::to_string(button) + " out of range");
  }
  x_.requireAlive();
  XTestFakeButtonEvent(x_.get(), button, pressed ? True : False, CurrentTime);
  if (pressed) {
    buttonsDown_.insert(button);
  } else {
    buttonsDown_.erase(button);
  }
  finish("a button");
}

}  // namespace rdk::x11
