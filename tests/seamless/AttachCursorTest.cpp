// `rdkernel attach --display` shows the server's cursor shapes on its windows (issue 20 item 6):
// the cursor XFixes reports over the attached window equals, pixel for pixel, a cursor packet the
// server sent. It used to stay the display's default: the client dropped cursor packets.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../platforms/xvfb_server.h"
#include "../session/raw_peer.hpp"
#include "child_process.hpp"
#include "rdk/protocol/messages/all.h"

// Last: Xlib's macros (None, Bool, Status) would break the protocol headers.
#include <X11/Xlib.h>
#include <X11/extensions/Xfixes.h>

namespace {

using rdk::protocol::Packet;
using rdk::protocol::Value;
using rdk::test::ChildProcess;

const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";

/// A cursor as 32-bit ARGB pixels (what XFixes reports), with its size and hotspot.
using Argb = std::vector<uint32_t>;
struct Shape {
  unsigned width = 0, height = 0, xhot = 0, yhot = 0;
  Argb pixels;
  auto operator<=>(const Shape&) const = default;
};

Shape fromPacket(const rdk::protocol::Cursor& c) {
  Shape s{static_cast<unsigned>(c.width),
          static_cast<unsigned>(c.height),
          static_cast<unsigned>(c.xhot),
          static_cast<unsigned>(c.yhot),
          {}};
  for (size_t i = 0; i + 3 < c.pixels.size(); i += 4) {
    const auto* p = reinterpret_cast<const uint8_t*>(c.pixels.data() + i);  // B, G, R, A
    s.pixels.push_back(uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0]);
  }
  return s;
}

Shape shownCursor(Display* d) {
  Shape s;
  XFixesCursorImage* image = XFixesGetCursorImage(d);
  if (!image)
    return s;
  s = {image->width, image->height, image->xhot, image->yhot, {}};
  for (size_t i = 0; i < size_t{image->width} * image->height; ++i)
    s.pixels.push_back(static_cast<uint32_t>(image->pixels[i]));
  XFree(image);
  return s;
}

/// The biggest mapped top-level window on |d| (the one attach made for the synthetic desktop).
Window biggestWindow(Display* d) {
  Window root = 0, parent = 0, *children = nullptr, best = 0;
  unsigned count = 0;
  long bestArea = 0;
  if (!XQueryTree(d, DefaultRootWindow(d), &root, &parent, &children, &count))
    return 0;
  for (unsigned i = 0; i < count; ++i) {
    XWindowAttributes a;
    if (XGetWindowAttributes(d, children[i], &a) && a.map_state == IsViewable &&
        long{a.width} * a.height > bestArea) {
      bestArea = long{a.width} * a.height;
      best = children[i];
    }
  }
  if (children)
    XFree(children);
  return best;
}

}  // namespace

class AttachCursorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AttachCursorTest);
  CPPUNIT_TEST(cursorPacketsShowOnTheAttachedWindow);
  CPPUNIT_TEST_SUITE_END();

 public:
  void cursorPacketsShowOnTheAttachedWindow() {
    const std::string dir = rdk::test::testDirectory("attach-cursor");
    // The synthetic desktop changes its cursor (arrow, crosshair over the video) as its pointer
    // roams; a peer that asks for cursors records every shape the server sends.
    ChildProcess server({kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR,
                         "--set", "server.size=320x240", "serve", "--bind", "tcp://127.0.0.1:0"},
                        dir + "/server.log");
    const std::string line = server.waitForOutput("listening on ", 20000);
    CPPUNIT_ASSERT_MESSAGE(server.output(), !line.empty());
    const std::string url = line.substr(line.find("tcp://"));
    rdk::test::RawPeer peer(url);
    Value caps(Value::Dict{});
    caps.set("version", Value("3.1.3"));
    caps.set("rencode", Value(true));
    caps.set("cursors", Value(true));
    caps.set("encodings", Value(Value::List{Value("rgb")}));
    caps.set("encodings.core", Value(Value::List{Value("rgb24"), Value("rgb32")}));
    peer.sendPacket({Value("hello"), caps});
    std::set<Shape> sent;

    rdk::test::XvfbServer local(640, 480);
    Display* d = XOpenDisplay(local.name().c_str());
    CPPUNIT_ASSERT(d);
    const Shape rootCursor = shownCursor(d);
    ChildProcess client({kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR,
                         "attach", url, "--display", local.name(), "--seconds", "60"},
                        dir + "/attach.log");
    Shape shown;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      while (auto p = peer.receive(50)) {
        if (!p->empty() && (*p)[0] == Value("cursor")) {
          const auto c = rdk::protocol::Cursor::fromPacket(*p);
          if (!c.isDefault())
            sent.insert(fromPacket(c));
        }
      }
      if (const Window w = biggestWindow(d)) {
        XWarpPointer(d, None, w, 0, 0, 0, 0, 20, 20);
        XSync(d, False);
        shown = shownCursor(d);
        if (sent.count(shown))
          break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    XCloseDisplay(d);
    CPPUNIT_ASSERT_MESSAGE(server.output(), !sent.empty());
    CPPUNIT_ASSERT_MESSAGE(
        "the attached window still shows the display's own cursor\n" + client.output(),
        shown != rootCursor);
    CPPUNIT_ASSERT_MESSAGE("the cursor over the attached window (" + std::to_string(shown.width) +
                               "x" + std::to_string(shown.height) + ") is none of the server's\n" +
                               client.output(),
                           sent.count(shown) == 1);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AttachCursorTest);
