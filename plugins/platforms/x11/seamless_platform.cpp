#include "seamless_platform.h"

#include <X11/XKBlib.h>
#include <X11/Xatom.h>
#include <X11/extensions/Xcomposite.h>

#include <algorithm>

#include "cursor_image.h"
#include "json_text.h"

namespace rdk::x11 {

SeamlessPlatform::SeamlessPlatform(const SeamlessOptions& options,
                                   const rdk_platform_callbacks& callbacks, const rdk::Host& host)
    : options_(options), callbacks_(callbacks), host_(host) {
  if (!callbacks_.on_event)
    throw Error(RDK_E_INVALID_ARG, "seamless: callbacks.on_event is NULL");
  if (!options_.xvfb.empty()) {
    display_ = std::make_unique<VirtualDisplay>(options_.xvfb, options_.display, options_.width,
                                                options_.height);
  }
  x_ = std::make_unique<XConnection>(display_ ? display_->name() : options_.display);
  Display* d = x_->get();
  Visual* visual = DefaultVisual(d, x_->screen());
  requireBgrxVisual(*x_, visual, DefaultDepth(d, x_->screen()));
  int errorBase = 0, major = 0, minor = 0, opcode = 0;
  if (!XCompositeQueryExtension(d, &opcode, &errorBase) ||
      !XCompositeQueryVersion(d, &major, &minor) || (major == 0 && minor < 2)) {
    throw Error(RDK_E_NO_DEVICE, "seamless: display " + x_->name() +
                                     " lacks the Composite extension 0.2 (Xvfb +extension "
                                     "Composite)");
  }
  if (!XDamageQueryExtension(d, &damageEventBase_, &errorBase))
    throw Error(RDK_E_NO_DEVICE, "seamless: display " + x_->name() + " lacks DAMAGE");
  if (!XFixesQueryExtension(d, &fixesEventBase_, &errorBase))
    throw Error(RDK_E_NO_DEVICE, "seamless: display " + x_->name() + " lacks XFIXES");
  atoms_ = std::make_unique<WmAtoms>(d);
  store24_ = std::make_unique<PixelStore>(*x_, visual, DefaultDepth(d, x_->screen()), options_.shm);
  injector_ = std::make_unique<XTestInjector>(*x_);
  becomeWindowManager();
  region_ = XFixesCreateRegion(d, nullptr, 0);
  XFixesSelectCursorInput(d, x_->root(), XFixesDisplayCursorNotifyMask);
  int xkbError = 0, xkbMajor = XkbMajorVersion, xkbMinor = XkbMinorVersion;
  if (XkbQueryExtension(d, &opcode, &xkbEventBase_, &xkbError, &xkbMajor, &xkbMinor)) {
    XkbSelectEvents(d, XkbUseCoreKbd, XkbBellNotifyMask, XkbBellNotifyMask);
  } else {
    xkbEventBase_ = -1;
  }
  // Windows already on screen (a display we were given) are managed at the first poll.
  Window rootReturn = 0, parent = 0, *children = nullptr;
  unsigned int count = 0;
  if (XQueryTree(d, x_->root(), &rootReturn, &parent, &children, &count)) {
    for (unsigned int i = 0; i < count; ++i) {
      XWindowAttributes a{};
      if (children[i] != wmWindow_ && XGetWindowAttributes(d, children[i], &a) &&
          a.map_state == IsViewable) {
        initial_.push_back(children[i]);
      }
    }
    if (children)
      XFree(children);
  }
  XSync(d, False);
  std::string command;
  for (const std::string& word :
       VirtualDisplay::words(options_.xvfb, options_.width, options_.height))
    command += (command.empty() ? "" : " ") + word;
  host_.log(RDK_LOG_INFO, "seamless: managing display " + x_->name() +
                              (display_ ? " (started: " + command + ")" : ""));
  startChildren();
}

SeamlessPlatform::~SeamlessPlatform() {
  if (!x_ || !x_->alive())
    return;
  Display* d = x_->get();
  for (auto& [wid, w] : windows_) {
    releasePixmap(w);
    if (w.damage)
      XDamageDestroy(d, w.damage);
  }
  if (region_)
    XFixesDestroyRegion(d, region_);
  XSync(d, False);
}

void SeamlessPlatform::becomeWindowManager() {
  Display* d = x_->get();
  const Window root = x_->root();
  {
    XErrorTrap trap(d);
    XSelectInput(d, root, SubstructureRedirectMask | SubstructureNotifyMask | StructureNotifyMask);
    if (trap.sync() != 0) {
      throw Error(RDK_E_NO_DEVICE, "seamless: another window manager runs on " + x_->name());
    }
  }
  // EWMH: a child of the root names the window manager; _NET_SUPPORTED lists what we handle.
  XSetWindowAttributes attrs{};
  attrs.override_redirect = True;
  wmWindow_ = XCreateWindow(d, root, -1, -1, 1, 1, 0, CopyFromParent, InputOnly, CopyFromParent,
                            CWOverrideRedirect, &attrs);
  XChangeProperty(d, root, atoms_->netSupportingWmCheck, XA_WINDOW, 32, PropModeReplace,
                  reinterpret_cast<unsigned char*>(&wmWindow_), 1);
  XChangeProperty(d, wmWindow_, atoms_->netSupportingWmCheck, XA_WINDOW, 32, PropModeReplace,
                  reinterpret_cast<unsigned char*>(&wmWindow_), 1);
  const std::string name = "rdkernel";
  XChangeProperty(d, wmWindow_, atoms_->netWmName, atoms_->utf8String, 8, PropModeReplace,
                  reinterpret_cast<const unsigned char*>(name.data()),
                  static_cast<int>(name.size()));
  const Atom a[] = {atoms_->netSupportingWmCheck,
                    atoms_->netWmName,
                    atoms_->netWmPid,
                    atoms_->netWmWindowType,
                    atoms_->netWmState,
                    atoms_->netWmStateModal,
                    atoms_->netWmStateFullscreen,
                    atoms_->netWmStateMaxVert,
                    atoms_->netWmStateMaxHorz,
                    atoms_->netWmStateAbove,
                    atoms_->netWmStateBelow,
                    atoms_->netWmStateSticky,
                    atoms_->netWmStateSkipTaskbar,
                    atoms_->netWmStateSkipPager,
                    atoms_->netWmStateHidden,
                    atoms_->netWmStateDemandsAttention,
                    atoms_->netActiveWindow,
                    atoms_->netCloseWindow,
                    atoms_->netClientList,
                    atoms_->netFrameExtents};
  XChangeProperty(d, root, atoms_->netSupported, XA_ATOM, 32, PropModeReplace,
                  reinterpret_cast<const unsigned char*>(a), static_cast<int>(std::size(a)));
  // ICCCM 2.0: the manager owns WM_Sn.
  const Atom wmSelection = XInternAtom(d, ("WM_S" + std::to_string(x_->screen())).c_str(), False);
  XSetSelectionOwner(d, wmSelection, wmWindow_, CurrentTime);
  // Every top-level window, override-redirect ones included, now renders into its own pixmap.
  // Automatic: the server still composes the root, so a screenshot of the display stays useful.
  XCompositeRedirectSubwindows(d, root, CompositeRedirectAutomatic);
  updateClientList();
  becomeTrayManager();
}

void SeamlessPlatform::startChildren() {
  for (const std::string& command : options_.start) {
    host_.log(RDK_LOG_INFO, "seamless: starting '" + command + "' on " + x_->name());
    children_.spawn(command, x_->name(), false);
  }
  for (const std::string& command : options_.startChild) {
    host_.log(RDK_LOG_INFO, "seamless: starting child '" + command + "' on " + x_->name());
    children_.spawn(command, x_->name(), true);
  }
}

void SeamlessPlatform::emit(uint32_t type, uint64_t wid, const rdk_rect& rect,
                            const std::string& metadata, const rdk_image* image) {
  rdk_window_event e{};
  e.struct_size = sizeof(e);
  e.type = type;
  e.wid = wid;
  e.rect = rect;
  e.metadata_json = metadata.empty() ? nullptr : metadata.c_str();
  e.image = image;
  callbacks_.on_event(callbacks_.host, &e);
}

void SeamlessPlatform::poll(uint64_t) {
  x_->requireAlive();
  Display* d = x_->get();
  if (!started_) {
    started_ = true;
    for (Window xid : initial_)
      manage(xid);
    initial_.clear();
  }
  // Bounded: events that keep arriving while we work wait for the next poll.
  for (int n = XPending(d); n > 0 && x_->alive(); --n) {
    XEvent event;
    XNextEvent(d, &event);
    handleEvent(event);
  }
  x_->requireAlive();
  for (auto& [wid, w] : windows_) {
    if (w.metadataDirty)
      flushMetadata(w);
  }
  for (auto& [wid, w] : windows_) {
    if (w.damaged)
      flushDamage(w);
  }
  if (cursorChanged_)
    emitCursor();
  children_.reap();
  if (options_.exitWithChildren && children_.countedStarted() > 0 &&
      children_.countedRunning() == 0) {
    throw Error(RDK_E_CLOSED, "seamless: every start-child command has exited");
  }
}

void SeamlessPlatform::handleEvent(XEvent& event) {
  Display* d = x_->get();
  if (event.type == damageEventBase_ + XDamageNotify) {
    const auto& damage = reinterpret_cast<const XDamageNotifyEvent&>(event);
    if (Managed* w = byXid(damage.drawable))
      w->damaged = true;
    return;
  }
  if (event.type == fixesEventBase_ + XFixesCursorNotify) {
    cursorChanged_ = true;
    return;
  }
  if (xkbEventBase_ >= 0 && event.type == xkbEventBase_) {
    emitBell(event);
    return;
  }
  switch (event.type) {
    case MapRequest:
      onMapRequest(event.xmaprequest);
      return;
    case ConfigureRequest:
      onConfigureRequest(event.xconfigurerequest);
      return;
    case CreateNotify:
      if (event.xcreatewindow.parent == x_->root() && event.xcreatewindow.window != wmWindow_) {
        // Property changes from before the map (title set early) are read at manage time; the
        // mask is selected now so that none in between is missed.
        // (A tray container also watches its icon: SubstructureNotify.)
        XSelectInput(
            d, event.xcreatewindow.window,
            PropertyChangeMask |
                (trayContainers_.count(event.xcreatewindow.window) ? SubstructureNotifyMask : 0));
      }
      return;
    case MapNotify:
      if (event.xmap.event == x_->root() && !byXid(event.xmap.window) &&
          event.xmap.window != wmWindow_) {
        manage(event.xmap.window);
      }
      return;
    case UnmapNotify:
      if (byXid(event.xunmap.window))
        unmanage(event.xunmap.window);
      return;
    case DestroyNotify:
      onTrayIconGone(event.xdestroywindow.window);
      if (byXid(event.xdestroywindow.window))
        unmanage(event.xdestroywindow.window);
      return;
    case ConfigureNotify:
      if (event.xconfigure.event == x_->root())
        onConfigureNotify(event.xconfigure);
      return;
    case PropertyNotify:
      if (Managed* w = byXid(event.xproperty.window)) {
        if (affectsMetadata(*atoms_, event.xproperty.atom))
          w->metadataDirty = true;
      }
      return;
    case ClientMessage:
      handleClientMessage(event.xclient);
      return;
    case MappingNotify: {
      XMappingEvent mapping = event.xmapping;
      XRefreshKeyboardMapping(&mapping);
      return;
    }
    default:
      return;
  }
}

void SeamlessPlatform::onMapRequest(const XMapRequestEvent& event) {
  Display* d = x_->get();
  // No frames: the client window is the top-level the user sees, so it needs no border.
  XSetWindowBorderWidth(d, event.window, 0);
  long state[2] = {NormalState, static_cast<long>(None)};
  XChangeProperty(d, event.window, atoms_->wmState, atoms_->wmState, 32, PropModeReplace,
                  reinterpret_cast<unsigned char*>(state), 2);
  long extents[4] = {0, 0, 0, 0};  // some toolkits wait for this before they draw
  XChangeProperty(d, event.window, atoms_->netFrameExtents, XA_CARDINAL, 32, PropModeReplace,
                  reinterpret_cast<unsigned char*>(extents), 4);
  XMapWindow(d, event.window);
}

void SeamlessPlatform::onConfigureRequest(const XConfigureRequestEvent& event) {
  // Granted as asked: the client side's window manager has the last word on placement, and it
  // tells us through the client.
  XWindowChanges changes{};
  changes.x = event.x;
  changes.y = event.y;
  changes.width = event.width;
  changes.height = event.height;
  changes.border_width = byXid(event.window) ? 0 : event.border_width;
  changes.sibling = event.above;
  changes.stack_mode = event.detail;
  XConfigureWindow(x_->get(), event.window, static_cast<unsigned int>(event.value_mask), &changes);
  Managed* w = byXid(event.window);
  if (w && (event.value_mask & CWStackMode) && event.detail == Above)
    emit(RDK_WINDOW_RAISE, w->wid, w->geometry);
}

void SeamlessPlatform::handleClientMessage(const XClientMessageEvent& event) {
  if (handleTrayMessage(event))
    return;
  Managed* w = byXid(event.window);
  if (!w || event.format != 32)
    return;
  Display* d = x_->get();
  if (event.message_type == atoms_->netActiveWindow) {
    XRaiseWindow(d, w->xid);
    focus(*w);
    emit(RDK_WINDOW_RAISE, w->wid, w->geometry);
  } else if (event.message_type == atoms_->netCloseWindow) {
    XKillClient(d, w->xid);
  } else if (event.message_type == atoms_->netWmState) {
    // data.l[0]: 0 remove, 1 add, 2 toggle; l[1], l[2]: the states. Applied to the property,
    // whose change then reaches the client as metadata.
    Atom type = None;
    int format = 0;
    unsigned long count = 0, after = 0;
    unsigned char* data = nullptr;
    std::vector<long> states;
    if (XGetWindowProperty(d, w->xid, atoms_->netWmState, 0, 64, False, XA_ATOM, &type, &format,
                           &count, &after, &data) == Success &&
        data && format == 32) {
      const long* values = reinterpret_cast<const long*>(data);
      states.assign(values, values + count);
    }
    if (data)
      XFree(data);
    for (int i = 1; i <= 2; ++i) {
      const long atom = event.data.l[i];
      if (atom == 0)
        continue;
      auto it = std::find(states.begin(), states.end(), atom);
      const bool present = it != states.end();
      const bool want = event.data.l[0] == 1 || (event.data.l[0] == 2 && !present);
      if (want && !present)
        states.push_back(atom);
      else if (!want && present)
        states.erase(it);
    }
    XChangeProperty(d, w->xid, atoms_->netWmState, XA_ATOM, 32, PropModeReplace,
                    reinterpret_cast<const unsigned char*>(states.data()),
                    static_cast<int>(states.size()));
  }
}

void SeamlessPlatform::emitBell(const XEvent& event) {
  const auto& xkb = reinterpret_cast<const XkbEvent&>(event);
  if (xkb.any.xkb_type != XkbBellNotify)
    return;
  const XkbBellNotifyEvent& bell = xkb.bell;
  std::string name;
  if (bell.name != None) {
    if (char* text = XGetAtomName(x_->get(), bell.name)) {
      name = text;
      XFree(text);
    }
  }
  uint64_t wid = widOf(bell.window);
  if (!wid && byXid(focused_))
    wid = widOf(focused_);
  emit(RDK_WINDOW_BELL, wid, {},
       "{\"percent\":" + std::to_string(bell.percent) + ",\"pitch\":" + std::to_string(bell.pitch) +
           ",\"duration\":" + std::to_string(bell.duration) + ",\"name\":" + jsonString(name) +
           "}");
}

void SeamlessPlatform::emitCursor() {
  cursorChanged_ = false;
  if (!readCursorImage(x_->get(), cursor_))
    return;  // no cursor right now (e.g. hidden); the next change reports again
  // The cursor X shows is the one of the window under the pointer, which input moved there.
  emit(RDK_WINDOW_CURSOR, pointerWid_, cursor_.hotspotAndSize, cursor_.metadataJson,
       &cursor_.image);
}

}  // namespace rdk::x11
