// The selections (CLIPBOARD, PRIMARY) of one X display, for the clipboard of the shadow and
// seamless servers and of the native client: owns a selection for the peer and serves local
// pastes (SelectionRequest), converts the local owner's contents (XConvertSelection, INCR
// transfers included), and reports new local owners through XFixes selection notifications.
// It has its own connection to the display, so the platforms' event loops stay as they are.
#pragma once

#include <X11/Xlib.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"
#include "x_connection.h"

namespace rdk::x11 {

class X11Clipboard {
 public:
  /// Throws rdk::Error (RDK_E_NO_DEVICE, RDK_E_UNSUPPORTED without XFixes).
  X11Clipboard(const std::string& display, const rdk_clipboard_callbacks& callbacks);
  ~X11Clipboard();
  X11Clipboard(const X11Clipboard&) = delete;
  X11Clipboard& operator=(const X11Clipboard&) = delete;

  /// Handles the display's events and expires conversions; callbacks run from here only.
  void poll(uint64_t nowUs);
  void claim(const std::string& selection, const std::string& targets);
  void convert(uint32_t id, const std::string& selection, const std::string& target);
  void reply(uint32_t id, const rdk_clipboard_data* data);

 private:
  struct LocalRequest {  // a local application asked us (we own the selection)
    Window requestor;
    Atom selection, target, property;
    Time time;
  };
  struct Conversion {  // we asked the local owner
    uint32_t id;
    std::string target;
    uint64_t deadlineUs;
    bool incr = false;
    Atom incrType = None;
    std::string incrData;
  };
  struct Delivery {  // a callback due at the next poll
    uint32_t id;
    bool hasData;
    std::string type;
    uint32_t format;
    std::string bytes;
  };

  void handle(XEvent& event);
  void onSelectionRequest(const XSelectionRequestEvent& e);
  void onSelectionNotify(const XSelectionEvent& e);
  void onPropertyNotify(const XPropertyEvent& e);
  void answer(const LocalRequest& r, const std::string& type, int format, const void* data,
              size_t items);
  void refuse(const LocalRequest& r);
  void finish(Atom property, bool ok, const std::string& type, uint32_t format, std::string bytes);
  std::string atomName(Atom a);
  Atom atom(const std::string& name);
  void deliver();

  std::unique_ptr<XConnection> x_;
  Display* d_ = nullptr;
  Window window_ = None;
  rdk_clipboard_callbacks callbacks_;
  int fixesEventBase_ = 0;
  uint64_t nowUs_ = 0;
  std::vector<std::string> selections_{"CLIPBOARD", "PRIMARY"};
  std::map<std::string, std::vector<std::string>> claimed_;  // selection -> targets
  std::set<std::string> initialOwners_;                      // reported at the first poll
  std::map<uint32_t, LocalRequest> localRequests_;
  uint32_t nextLocalId_ = 1;
  std::map<Atom, Conversion> conversions_;  // by the property the owner writes to
  uint32_t nextProperty_ = 0;
  std::deque<Delivery> deliveries_;
  size_t maxPropertyBytes_ = 0;
};

}  // namespace rdk::x11
