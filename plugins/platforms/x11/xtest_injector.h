// Keyboard and pointer input injected into an X display with XTEST, as if typed and clicked there.
// Keys are named by X keysym ("a", "A", "Return"); the keycode comes from the display's own
// keymap, pressing Shift around keys that live on the shifted level.
#pragma once

#include <X11/Xlib.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "x_connection.h"

namespace rdk::x11 {

class XTestInjector {
 public:
  explicit XTestInjector(XConnection& x);
  /// Releases keys and buttons still held, so a client that vanished mid-press leaves none stuck.
  ~XTestInjector();

  bool available() const { return available_; }
  /// |keyname| may be empty, then |keyval| (a keysym) is used; |keycode| is the last resort.
  void key(const std::string& keyname, uint32_t keyval, uint32_t keycode, bool pressed);
  /// Root coordinates.
  void motion(int32_t x, int32_t y);
  void button(uint32_t button, bool pressed);

 private:
  KeyCode resolve(const std::string& keyname, uint32_t keyval, uint32_t keycode, bool& needsShift);
  /// Maps |sym| on a keycode that has no keysym and returns that keycode.
  KeyCode spareKeycodeFor(KeySym sym);
  void finish(const char* what);

  XConnection& x_;
  bool available_ = false;
  std::set<KeyCode> keysDown_;
  std::set<uint32_t> buttonsDown_;
  std::vector<KeyCode> spareCodes_;
  std::map<KeySym, KeyCode> remapped_;
  size_t nextSpare_ = 0;
};

}  // namespace rdk::x11
