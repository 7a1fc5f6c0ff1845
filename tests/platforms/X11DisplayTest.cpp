#include "X11DisplayTest.h"

#include <X11/XKBlib.h>
#include <X11/Xatom.h>
#include <X11/extensions/XTest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "opened_display.hpp"
#include "platform_events.hpp"
#include "x_test_client.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(X11DisplayTest);

using rdk::test::LoadedTestPlugin;
using rdk::test::OpenedDisplay;
using rdk::test::OpenedPlatform;
using rdk::test::XTestClient;

namespace {

LoadedTestPlugin& plugin() {
  static LoadedTestPlugin p("x11");
  return p;
}

std::string displayOptions(const std::string& name) {
  return std::string(R"({"display":")") + name + "\"}";
}

/// A BGRX test pattern: every pixel different.
std::vector<uint8_t> pattern(uint32_t w, uint32_t h, uint8_t salt) {
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * 4);
  for (uint32_t y = 0; y < h; ++y) {
    for (uint32_t x = 0; x < w; ++x) {
      uint8_t* p = &px[(static_cast<size_t>(y) * w + x) * 4];
      p[0] = static_cast<uint8_t>(x * 3 + salt);
      p[1] = static_cast<uint8_t>(y * 5);
      p[2] = static_cast<uint8_t>(x + y + salt);
      p[3] = 0;
    }
  }
  return px;
}

rdk_image imageOf(const std::vector<uint8_t>& px, uint32_t w, uint32_t h,
                  uint32_t format = RDK_PIXEL_BGRX, uint32_t bpp = 4) {
  rdk_image img{};
  img.struct_size = sizeof(img);
  img.width = w;
  img.height = h;
  img.stride = w * bpp;
  img.format = format;
  img.pixels = px.data();
  return img;
}

/// Top-level windows of |client|'s root named |title|, bottom to top.
std::vector<Window> windowsNamed(XTestClient& client, const std::string& title) {
  Window root = 0, parent = 0, *children = nullptr;
  unsigned count = 0;
  std::vector<Window> out;
  XQueryTree(client.display(), client.root(), &root, &parent, &children, &count);
  for (unsigned i = 0; i < count; ++i) {
    char* name = nullptr;
    if (XFetchName(client.display(), children[i], &name) && name) {
      if (title == name)
        out.push_back(children[i]);
      XFree(name);
    }
  }
  if (children)
    XFree(children);
  return out;
}

std::vector<Window> stacking(XTestClient& client) {
  Window root = 0, parent = 0, *children = nullptr;
  unsigned count = 0;
  XQueryTree(client.display(), client.root(), &root, &parent, &children, &count);
  std::vector<Window> out(children, children + count);
  if (children)
    XFree(children);
  return out;
}

XWindowAttributes attributes(XTestClient& client, Window w) {
  XWindowAttributes a{};
  XGetWindowAttributes(client.display(), w, &a);
  return a;
}

}  // namespace

void X11DisplayTest::setUp() {
  xvfb_ = std::make_unique<rdk::test::XvfbServer>(320, 240);
}

void X11DisplayTest::tearDown() {
  xvfb_.reset();
}

void X11DisplayTest::windowsFollowEventsAndShowPaintedPixels() {
  XTestClient client(xvfb_->name());
  OpenedDisplay display(plugin(), displayOptions(xvfb_->name()));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(plugin().host().lastError(), RDK_OK, display.status());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_NEW, 7, {10, 20, 64, 48},
                                              R"({"title":"hello","window-type":["NORMAL"]})"));
  const auto px = pattern(64, 48, 1);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.paint(7, 0, 0, imageOf(px, 64, 48)));
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        return client.pixels(10, 20, 64, 48) == px;
      },
      2000));
  const auto named = windowsNamed(client, "hello");
  CPPUNIT_ASSERT_EQUAL(size_t{1}, named.size());
  const Window hello = named[0];
  XWindowAttributes a = attributes(client, hello);
  CPPUNIT_ASSERT_EQUAL(IsViewable, a.map_state);
  CPPUNIT_ASSERT_EQUAL(64, a.width);
  CPPUNIT_ASSERT_EQUAL(False, a.override_redirect);

  // An RGB (24-bit) update in the middle, converted on the way.
  std::vector<uint8_t> rgb(8 * 4 * 3);
  for (size_t i = 0; i < rgb.size(); i += 3)
    rgb[i] = 0xff, rgb[i + 1] = 0x80, rgb[i + 2] = 0x01;
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.paint(7, 30, 10, imageOf(rgb, 8, 4, RDK_PIXEL_RGB, 3)));
  const auto spot = client.pixels(10 + 30, 20 + 10, 1, 1);
  CPPUNIT_ASSERT(spot[0] == 0x01 && spot[1] == 0x80 && spot[2] == 0xff);

  CPPUNIT_ASSERT_EQUAL(RDK_OK,
                       display.window(RDK_WINDOW_METADATA, 7, {}, R"({"title":"renamed"})"));
  CPPUNIT_ASSERT(
      XTestClient::waitFor([&] { return windowsNamed(client, "renamed").size() == 1; }, 2000));

  // Move and grow: the painted pixels travel with the window, the new part can be painted.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_MOVE_RESIZE, 7, {100, 80, 96, 64}));
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        a = attributes(client, hello);
        return a.x == 100 && a.y == 80 && a.width == 96 && a.height == 64;
      },
      2000));
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        return client.pixels(100, 80, 1, 1) == std::vector<uint8_t>(px.begin(), px.begin() + 4) &&
               client.pixels(100 + 63, 80 + 47, 1, 1) ==
                   std::vector<uint8_t>(px.end() - 4, px.end());
      },
      2000));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_RESIZED, 7, {0, 0, 50, 40}));
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        a = attributes(client, hello);
        return a.x == 100 && a.width == 50 && a.height == 40;
      },
      2000));

  // Raise: a second window on top, then the first raised above it.
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, display.window(RDK_WINDOW_NEW, 8, {90, 70, 80, 80}, R"({"title":"second"})"));
  CPPUNIT_ASSERT(
      XTestClient::waitFor([&] { return windowsNamed(client, "second").size() == 1; }, 2000));
  const Window second = windowsNamed(client, "second").at(0);
  auto above = [&](Window upper, Window lower) {
    const auto order = stacking(client);
    auto pos = [&](Window w) { return std::find(order.begin(), order.end(), w) - order.begin(); };
    return pos(upper) > pos(lower);
  };
  CPPUNIT_ASSERT(above(second, hello));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_RAISE, 7, {}));
  CPPUNIT_ASSERT(XTestClient::waitFor([&] { return above(hello, second); }, 2000));
  // The bell and a cursor shape are accepted.
  // The bell rings on the client's display (seen as an XKB BellNotify by another X client).
  int opcode = 0, xkbEvent = 0, xkbError = 0, major = XkbMajorVersion, minor = XkbMinorVersion;
  CPPUNIT_ASSERT(
      XkbQueryExtension(client.display(), &opcode, &xkbEvent, &xkbError, &major, &minor));
  XkbSelectEvents(client.display(), XkbUseCoreKbd, XkbBellNotifyMask, XkbBellNotifyMask);
  XSync(client.display(), False);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_BELL, 7, {}, R"({"percent":50})"));
  XEvent bell;
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        while (XCheckTypedEvent(client.display(), xkbEvent, &bell)) {
          if (reinterpret_cast<XkbEvent&>(bell).any.xkb_type == XkbBellNotify)
            return true;
        }
        return false;
      },
      2000));
  std::vector<uint8_t> cursor(16 * 16 * 4, 0xff);
  rdk_window_event ce{};
  ce.struct_size = sizeof(ce);
  ce.type = RDK_WINDOW_CURSOR;
  ce.wid = 7;
  ce.rect = {8, 8, 16, 16};
  const rdk_image cursorImage = imageOf(cursor, 16, 16, RDK_PIXEL_BGRA);
  ce.image = &cursorImage;
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.event(ce));
  ce.image = nullptr;  // back to the default cursor (Xpra's ["cursor", ""])
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.event(ce));
  const rdk_image empty = imageOf(cursor, 0, 16, RDK_PIXEL_BGRA);
  ce.image = &empty;
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.event(ce));
}

void X11DisplayTest::overrideRedirectTrayAndLostWindows() {
  XTestClient client(xvfb_->name());
  OpenedDisplay display(plugin(), displayOptions(xvfb_->name()));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.status());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_NEW_OVERRIDE_REDIRECT, 3, {5, 5, 40, 30},
                                              R"({"title":"menu","override-redirect":true})"));
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, display.window(RDK_WINDOW_NEW_TRAY, 4, {290, 0, 22, 22}, R"({"title":"tray"})"));
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        return windowsNamed(client, "menu").size() == 1 && windowsNamed(client, "tray").size() == 1;
      },
      2000));
  const auto menu = windowsNamed(client, "menu");
  const auto tray = windowsNamed(client, "tray");
  CPPUNIT_ASSERT_EQUAL(size_t{1}, menu.size());
  CPPUNIT_ASSERT_EQUAL(size_t{1}, tray.size());
  CPPUNIT_ASSERT_EQUAL(True, attributes(client, menu[0]).override_redirect);
  CPPUNIT_ASSERT_EQUAL(22, attributes(client, tray[0]).width);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_LOST, 3, {}));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_LOST, 3, {}));  // twice is harmless
  XSync(client.display(), False);
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        return windowsNamed(client, "menu").empty();
      },
      2000));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, windowsNamed(client, "tray").size());
}

void X11DisplayTest::localInputIsReportedWindowRelative() {
  XTestClient client(xvfb_->name());
  OpenedDisplay display(plugin(), displayOptions(xvfb_->name()));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.status());
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, display.window(RDK_WINDOW_NEW, 7, {10, 20, 100, 80}, R"({"title":"input"})"));
  Display* d = client.display();
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        const auto w = windowsNamed(client, "input");
        return w.size() == 1 && attributes(client, w[0]).map_state == IsViewable;
      },
      2000));
  XSetInputFocus(d, windowsNamed(client, "input").at(0), RevertToPointerRoot, CurrentTime);
  XTestFakeMotionEvent(d, 0, 10 + 5, 20 + 6, CurrentTime);
  XTestFakeButtonEvent(d, 3, True, CurrentTime);
  XTestFakeButtonEvent(d, 3, False, CurrentTime);
  const KeyCode b = XKeysymToKeycode(d, 'b');
  XTestFakeKeyEvent(d, b, True, CurrentTime);
  XTestFakeKeyEvent(d, b, False, CurrentTime);
  XSync(d, False);
  auto find = [&](uint32_t type, bool pressed) -> std::optional<OpenedDisplay::Input> {
    for (const auto& in : display.inputs) {
      if (in.event.type == type && (type == RDK_INPUT_MOTION || (in.event.pressed != 0) == pressed))
        return in;
    }
    return std::nullopt;
  };
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        display.poll();
        return find(RDK_INPUT_KEY, false).has_value();
      },
      2000));
  const auto click = find(RDK_INPUT_BUTTON, true);
  CPPUNIT_ASSERT(click);
  CPPUNIT_ASSERT_EQUAL(uint64_t{7}, click->event.wid);
  CPPUNIT_ASSERT_EQUAL(3u, click->event.button);
  CPPUNIT_ASSERT_EQUAL(5, click->event.x);
  CPPUNIT_ASSERT_EQUAL(6, click->event.y);
  CPPUNIT_ASSERT(find(RDK_INPUT_BUTTON, false));
  const auto key = find(RDK_INPUT_KEY, true);
  CPPUNIT_ASSERT(key);
  CPPUNIT_ASSERT_EQUAL(std::string("b"), key->keyname);
  CPPUNIT_ASSERT_EQUAL(uint32_t{'b'}, key->event.keyval);
  CPPUNIT_ASSERT_EQUAL(uint32_t{b}, key->event.keycode);
  const auto motion = find(RDK_INPUT_MOTION, false);
  CPPUNIT_ASSERT(motion && motion->event.wid == 7);
}

void X11DisplayTest::shadowOfOneDisplayShownOnAnotherWithInputBack() {
  // Display A is the "server" desktop, shadowed; xvfb_ is the client's display B.
  rdk::test::XvfbServer serverX(200, 150);
  XTestClient serverClient(serverX.name());
  serverClient.fill(0, 0, 200, 150, 0x202040);
  serverClient.fill(20, 30, 50, 40, 0xff8000);
  const Window target = serverClient.inputWindow(120, 60, 60, 60);
  XTestClient clientSide(xvfb_->name());

  OpenedPlatform server(plugin(), "x11", displayOptions(serverX.name()));
  CPPUNIT_ASSERT_MESSAGE(server.lastError(), server.ok());
  OpenedDisplay display(plugin(), displayOptions(xvfb_->name()));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.status());

  // The session's job in miniature: window events to the display, damage captured and painted.
  size_t forwarded = 0;
  auto pump = [&] {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, server.poll(rdk::test::nowUs()));
    auto& events = server.recorder().events();
    for (; forwarded < events.size(); ++forwarded) {
      const auto& e = events[forwarded];
      if (e.type == RDK_WINDOW_NEW) {
        CPPUNIT_ASSERT_EQUAL(
            RDK_OK, display.window(e.type, e.wid, {0, 0, e.rect.w, e.rect.h}, e.metadata.c_str()));
      } else if (e.type == RDK_WINDOW_DAMAGE) {
        rdk_image image{};
        CPPUNIT_ASSERT_EQUAL(RDK_OK, server.capture(e.wid, e.rect, image));
        CPPUNIT_ASSERT_EQUAL(RDK_OK, display.paint(e.wid, e.rect.x, e.rect.y, image));
      }
    }
    CPPUNIT_ASSERT_EQUAL(RDK_OK, display.poll());
  };
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        pump();
        return clientSide.pixels(0, 0, 200, 150) == serverClient.pixels(0, 0, 200, 150);
      },
      3000));
  // A change on A shows up on B through damage alone.
  serverClient.fill(60, 100, 30, 20, 0x00ff00);
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        pump();
        return clientSide.pixels(0, 0, 200, 150) == serverClient.pixels(0, 0, 200, 150);
      },
      3000));

  // A click on B's window, reported by the display, injected on A, lands in A's X client.
  Display* b = clientSide.display();
  XTestFakeMotionEvent(b, 0, 130, 75, CurrentTime);
  XTestFakeButtonEvent(b, 1, True, CurrentTime);
  XTestFakeButtonEvent(b, 1, False, CurrentTime);
  XSync(b, False);
  XEvent ev;
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        pump();
        for (const auto& in : display.inputs) {
          rdk_input_event e = in.event;
          e.keyname = in.keyname.c_str();
          CPPUNIT_ASSERT_EQUAL(RDK_OK, server.inject(e));
        }
        display.inputs.clear();
        return XCheckTypedWindowEvent(serverClient.display(), target, ButtonPress, &ev);
      },
      3000));
  CPPUNIT_ASSERT_EQUAL(1u, ev.xbutton.button);
  CPPUNIT_ASSERT_EQUAL(10, ev.xbutton.x);  // 130 - 120
  CPPUNIT_ASSERT_EQUAL(15, ev.xbutton.y);  // 75 - 60
}

void X11DisplayTest::badDisplayRequestsAreRejected() {
  {
    OpenedDisplay none(plugin(), R"({"display":":119998"})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_NO_DEVICE, none.status());
  }
  OpenedDisplay display(plugin(), displayOptions(xvfb_->name()));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.status());
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.window(RDK_WINDOW_MOVE_RESIZE, 5, {0, 0, 9, 9}));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_NEW, 5, {0, 0, 9, 9}));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.window(RDK_WINDOW_NEW, 5, {0, 0, 9, 9}));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                       display.window(RDK_WINDOW_METADATA, 5, {}, R"({"title":)"));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.window(99, 5, {}));
  const std::vector<uint8_t> px(4 * 4 * 4, 0);
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.paint(6, 0, 0, imageOf(px, 4, 4)));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.paint(5, 0, 0, imageOf(px, 4, 4, 77)));
  rdk_image shortStride = imageOf(px, 4, 4);
  shortStride.stride = 3;
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, display.paint(5, 0, 0, shortStride));
  // Partly or wholly outside the window is clipped, not an error.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.paint(5, 7, 7, imageOf(px, 4, 4)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.paint(5, 100, 100, imageOf(px, 4, 4)));
  // Metadata of an unexpected type (a title that was not UTF-8 travels as {"$bytes": ...}) leaves
  // the window unnamed instead of refusing it.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, display.window(RDK_WINDOW_NEW, 9, {0, 0, 8, 8},
                                              R"({"title":{"$bytes":"/w=="},"window-type":[1]})"));
}
