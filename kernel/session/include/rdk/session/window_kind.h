// What a window is to Xpra's wire: the packet that announced it (new-window,
// new-override-redirect, new-tray). Shared by the server's desktop and the client's mirror, so
// neither side includes the other's headers.
#pragma once

namespace rdk::session {

enum class WindowKind { Normal, OverrideRedirect, Tray };

}  // namespace rdk::session
