// Xpra window metadata read from a client window's ICCCM and EWMH properties: title, class,
// pid, window type, transient-for, size hints, decorations, states. Each key maps to its value as
// JSON text, so a change can be reported as just the keys that differ.
#pragma once

#include <X11/Xlib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace rdk::x11 {

/// The atoms seamless mode uses, interned once per connection.
struct WmAtoms {
  explicit WmAtoms(Display* d);
  Atom utf8String, netWmName, wmName, wmClass, netWmPid, netWmWindowType, wmTransientFor,
      wmNormalHints, motifWmHints, netWmState, wmProtocols, wmDeleteWindow, wmTakeFocus, wmState,
      wmWindowRole, wmClientMachine, netSupported, netSupportingWmCheck, netActiveWindow,
      netCloseWindow, netWmStateModal, netWmStateFullscreen, netWmStateMaxVert, netWmStateMaxHorz,
      netWmStateAbove, netWmStateBelow, netWmStateSticky, netWmStateSkipTaskbar,
      netWmStateSkipPager, netWmStateHidden, netWmStateDemandsAttention, netClientList,
      netFrameExtents, wmChangeState;
};

using Metadata = std::map<std::string, std::string>;  // key -> JSON value

/// Reads every metadata key of |window|. |widOf| maps an X window to its remote id (0: not one of
/// ours), for transient-for.
Metadata readMetadata(Display* d, Window window, const WmAtoms& atoms, bool overrideRedirect,
                      int depth, const std::function<uint64_t(Window)>& widOf);

/// {"k":v,...} of |metadata|.
std::string metadataJson(const Metadata& metadata);
/// The keys of |now| whose value differs from |before| (removed keys are not reported: Xpra
/// metadata has no removal).
Metadata changedKeys(const Metadata& before, const Metadata& now);

/// Which properties feed the metadata (a PropertyNotify on any other is ignored).
bool affectsMetadata(const WmAtoms& atoms, Atom property);

/// The EWMH window types, as Xpra names them ("NORMAL", "DIALOG", "POPUP_MENU"...).
std::string windowTypeName(Display* d, Atom type);

/// WM_PROTOCOLS of |window| includes |protocol|.
bool hasProtocol(Display* d, Window window, const WmAtoms& atoms, Atom protocol);

}  // namespace rdk::x11
