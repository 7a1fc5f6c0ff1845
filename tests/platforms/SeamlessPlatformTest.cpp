#include "SeamlessPlatformTest.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "platform_events.hpp"
#include "x_test_client.hpp"
#include "xvfb_server.h"

CPPUNIT_TEST_SUITE_REGISTRATION(SeamlessPlatformTest);

using rdk::test::LoadedTestPlugin;
using rdk::test::OpenedPlatform;
using rdk::test::RecordedEvent;
using rdk::test::XTestClient;

namespace {

LoadedTestPlugin& plugin() {
  static LoadedTestPlugin p("x11");
  return p;
}

/// Polls |p| until |ready| holds or |ms| pass (generous: applications start slowly on a loaded
/// machine).
bool pollUntil(OpenedPlatform& p, const std::function<bool()>& ready, int ms = 10000) {
  return XTestClient::waitFor(
      [&] {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(p.lastError(), RDK_OK, p.poll(rdk::test::nowUs()));
        return ready();
      },
      ms);
}

/// The display the last opened platform manages, from its log line.
std::string managedDisplay() {
  const std::string log = plugin().host().log();
  const std::string marker = "seamless: managing display ";
  const size_t at = log.rfind(marker);
  if (at == std::string::npos)
    return {};
  std::string name = log.substr(at + marker.size());
  return name.substr(0, name.find_first_of(" \n"));
}

bool hasTitle(const RecordedEvent& e, const std::string& title) {
  return e.metadata.find("\"title\":\"" + title + "\"") != std::string::npos;
}

/// The NEW (or NEW_OVERRIDE_REDIRECT) event of the window titled |title|, if reported yet.
const RecordedEvent* created(OpenedPlatform& p, const std::string& title,
                             uint32_t type = RDK_WINDOW_NEW) {
  for (const auto& e : p.recorder().events()) {
    if (e.type == type && hasTitle(e, title))
      return &e;
  }
  return nullptr;
}

RecordedEvent waitForWindow(OpenedPlatform& p, const std::string& title,
                            uint32_t type = RDK_WINDOW_NEW) {
  CPPUNIT_ASSERT_MESSAGE("no window titled " + title,
                         pollUntil(p, [&] { return created(p, title, type) != nullptr; }));
  return *created(p, title, type);
}

bool lost(OpenedPlatform& p, uint64_t wid) {
  for (const auto& e : p.recorder().events()) {
    if (e.type == RDK_WINDOW_LOST && e.wid == wid)
      return true;
  }
  return false;
}

/// A top-level window of the test client, managed (it goes through our MapRequest).
Window topLevel(XTestClient& c, int x, int y, unsigned w, unsigned h, const char* title,
                uint32_t rgb, bool overrideRedirect = false) {
  Display* d = c.display();
  XSetWindowAttributes a{};
  a.background_pixel = rgb;
  a.override_redirect = overrideRedirect ? True : False;
  a.event_mask = ButtonPressMask | KeyPressMask | ExposureMask | StructureNotifyMask;
  Window win = XCreateWindow(d, c.root(), x, y, w, h, 0, CopyFromParent, InputOutput,
                             CopyFromParent, CWBackPixel | CWOverrideRedirect | CWEventMask, &a);
  XStoreName(d, win, title);
  XMapWindow(d, win);
  XSync(d, False);
  return win;
}

uint32_t rgbAt(const std::vector<uint8_t>& bgrx, size_t width, size_t x, size_t y) {
  const uint8_t* p = &bgrx[(y * width + x) * 4];
  return uint32_t{p[2]} << 16 | uint32_t{p[1]} << 8 | p[0];
}

std::string options(const std::string& extra = {}) {
  return R"({"width":640,"height":480)" + (extra.empty() ? "" : "," + extra) + "}";
}

bool processGone(pid_t pid, int ms) {
  return XTestClient::waitFor([&] { return kill(pid, 0) != 0; }, ms);
}

}  // namespace

void SeamlessPlatformTest::startsItsOwnDisplayAndReportsEachApplicationWindow() {
  OpenedPlatform p(plugin(), "seamless",
                   options(R"("start":["xmessage -geometry +30+40 -name rdkmsg hello seamless",)"
                           R"("xclock -geometry 120x100+300+200"])"));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  const std::string display = managedDisplay();
  CPPUNIT_ASSERT_MESSAGE(plugin().host().log(), display.size() > 1 && display[0] == ':');
  // Xt titles a window with the application's name (-name).
  const RecordedEvent message = waitForWindow(p, "rdkmsg");
  const RecordedEvent clock = waitForWindow(p, "xclock");
  CPPUNIT_ASSERT(message.wid != clock.wid);
  // Where the applications asked to be, the size they chose; no window for the whole screen.
  CPPUNIT_ASSERT_EQUAL(30, message.rect.x);
  CPPUNIT_ASSERT_EQUAL(40, message.rect.y);
  CPPUNIT_ASSERT(message.rect.w > 50 && message.rect.w < 640);
  CPPUNIT_ASSERT_EQUAL(300, clock.rect.x);
  CPPUNIT_ASSERT_EQUAL(200, clock.rect.y);
  CPPUNIT_ASSERT_EQUAL(120u, clock.rect.w);
  CPPUNIT_ASSERT_EQUAL(100u, clock.rect.h);
  CPPUNIT_ASSERT_EQUAL(size_t{0}, p.recorder().count(RDK_WINDOW_NEW_OVERRIDE_REDIRECT));
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_NEW))
    CPPUNIT_ASSERT(e.rect.w < 640 || e.rect.h < 480);
  CPPUNIT_ASSERT_MESSAGE(
      message.metadata,
      message.metadata.find(R"("class-instance":["rdkmsg","Xmessage"])") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(message.metadata,
                         message.metadata.find(R"("window-type":["NORMAL"])") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(clock.metadata, clock.metadata.find("\"pid\":") != std::string::npos ||
                                             clock.metadata.find("XClock") != std::string::npos);
  // Each NEW is followed by a whole-window damage, and the pixels equal what X holds for it.
  bool fullDamage = false;
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
    fullDamage |= e.wid == message.wid && e.rect.x == 0 && e.rect.y == 0 &&
                  e.rect.w == message.rect.w && e.rect.h == message.rect.h;
  }
  CPPUNIT_ASSERT(fullDamage);
  XTestClient x(display);
  pollUntil(
      p, [] { return false; }, 300);  // let xmessage finish drawing
  const auto pixels = p.pixels(message.wid, {0, 0, message.rect.w, message.rect.h});
  CPPUNIT_ASSERT_EQUAL(size_t{message.rect.w} * message.rect.h * 4, pixels.size());
  CPPUNIT_ASSERT(rdk::test::withoutPadding(pixels) ==
                 x.pixels(message.rect.x, message.rect.y, message.rect.w, message.rect.h));
  // Not a blank window: xmessage draws text and a button in more than one colour.
  std::set<uint32_t> colours;
  for (uint32_t y = 0; y < message.rect.h; y += 2) {
    for (uint32_t xx = 0; xx < message.rect.w; xx += 2)
      colours.insert(rgbAt(pixels, message.rect.w, xx, y));
  }
  CPPUNIT_ASSERT(colours.size() >= 2);
}

void SeamlessPlatformTest::capturesEachWindowFromItsOwnPixmapEvenWhenCovered() {
  OpenedPlatform p(plugin(), "seamless", options());
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  topLevel(x, 20, 20, 200, 150, "below", 0x3060c0);
  const RecordedEvent below = waitForWindow(p, "below");
  topLevel(x, 120, 70, 200, 150, "above", 0xc06030);
  const RecordedEvent above = waitForWindow(p, "above");
  CPPUNIT_ASSERT_EQUAL(20, below.rect.x);
  CPPUNIT_ASSERT_EQUAL(200u, below.rect.w);
  CPPUNIT_ASSERT_EQUAL(150u, below.rect.h);
  // The covered part of "below" still holds its own colour: it comes from its pixmap, not the
  // screen.
  const auto pixels = p.pixels(below.wid, {0, 0, 200, 150});
  CPPUNIT_ASSERT_EQUAL(size_t{200 * 150 * 4}, pixels.size());
  for (auto [px, py] : {std::pair{5, 5}, {150, 100}, {199, 149}})
    CPPUNIT_ASSERT_EQUAL(0x3060c0u, rgbAt(pixels, 200, px, py));
  const auto top = p.pixels(above.wid, {10, 10, 20, 20});
  CPPUNIT_ASSERT_EQUAL(0xc06030u, rgbAt(top, 20, 0, 0));
  CPPUNIT_ASSERT(plugin().host().log().find("capturing window pixmaps") != std::string::npos);
}

void SeamlessPlatformTest::overrideRedirectAndXtermMenuAreReportedAsSuch() {
  OpenedPlatform p(plugin(), "seamless",
                   options(R"("start":"xterm -T menuterm -geometry 40x8+100+100")"));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  // A popup made by hand: where it was put, flagged override-redirect.
  const Window popup = topLevel(x, 50, 60, 80, 30, "popup", 0x00ff00, true);
  const RecordedEvent or1 = waitForWindow(p, "popup", RDK_WINDOW_NEW_OVERRIDE_REDIRECT);
  CPPUNIT_ASSERT_EQUAL(50, or1.rect.x);
  CPPUNIT_ASSERT_EQUAL(60, or1.rect.y);
  CPPUNIT_ASSERT_EQUAL(80u, or1.rect.w);
  CPPUNIT_ASSERT(or1.metadata.find("\"override-redirect\":true") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(0x00ff00u, rgbAt(p.pixels(or1.wid, {0, 0, 80, 30}), 80, 40, 15));
  XDestroyWindow(x.display(), popup);
  XSync(x.display(), False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return lost(p, or1.wid); }));

  // xterm's own menu: Control + button 1 pops it up under the pointer while the button is held.
  const RecordedEvent term = waitForWindow(p, "menuterm");
  pollUntil(
      p, [] { return false; }, 500);  // let xterm settle
  const size_t before = p.recorder().count(RDK_WINDOW_NEW_OVERRIDE_REDIRECT);
  CPPUNIT_ASSERT_EQUAL(RDK_OK,
                       p.inject(rdk::test::keyEvent(term.wid, "Control_L", XK_Control_L, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::motionEvent(term.wid, 30, 20)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(term.wid, 30, 20, 1, true)));
  const bool menu =
      pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_NEW_OVERRIDE_REDIRECT) > before; });
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(term.wid, 30, 20, 1, false)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK,
                       p.inject(rdk::test::keyEvent(term.wid, "Control_L", XK_Control_L, false)));
  CPPUNIT_ASSERT_MESSAGE("xterm's menu was not reported", menu);
  const RecordedEvent m = p.recorder().ofType(RDK_WINDOW_NEW_OVERRIDE_REDIRECT).back();
  // Near the click (xterm places the menu around the pointer), in root coordinates.
  const int clickX = term.rect.x + 30, clickY = term.rect.y + 20;
  CPPUNIT_ASSERT_MESSAGE(std::to_string(m.rect.x) + "," + std::to_string(m.rect.y),
                         m.rect.x <= clickX + 8 && m.rect.x + int(m.rect.w) >= clickX - 8 &&
                             m.rect.y <= clickY + 8 && m.rect.y + int(m.rect.h) >= clickY - 8);
  CPPUNIT_ASSERT(m.metadata.find("\"override-redirect\":true") != std::string::npos);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return lost(p, m.wid); }));
}

void SeamlessPlatformTest::metadataFollowsPropertiesAndTransientForNamesTheParent() {
  OpenedPlatform p(plugin(), "seamless", options());
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  Display* d = x.display();
  XSetWindowAttributes a{};
  Window main = XCreateWindow(d, x.root(), 10, 10, 300, 200, 0, CopyFromParent, InputOutput,
                              CopyFromParent, 0, &a);
  XStoreName(d, main, "first");
  XClassHint cls{const_cast<char*>("inst"), const_cast<char*>("Klass")};
  XSetClassHint(d, main, &cls);
  long pid = 4242;
  XChangeProperty(d, main, XInternAtom(d, "_NET_WM_PID", False), XA_CARDINAL, 32, PropModeReplace,
                  reinterpret_cast<unsigned char*>(&pid), 1);
  XSizeHints hints{};
  hints.flags = PMinSize | PMaxSize;
  hints.min_width = 100;
  hints.min_height = 50;
  hints.max_width = 600;
  hints.max_height = 400;
  XSetWMNormalHints(d, main, &hints);
  XMapWindow(d, main);
  XSync(d, False);
  const RecordedEvent first = waitForWindow(p, "first");
  const std::string& m = first.metadata;
  CPPUNIT_ASSERT_MESSAGE(m, m.find(R"("class-instance":["inst","Klass"])") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(m, m.find(R"("pid":4242)") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(m, m.find(R"("minimum-size":[100,50])") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(m, m.find(R"("maximum-size":[600,400])") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(m, m.find(R"("fullscreen":false)") != std::string::npos);

  Window dialog = XCreateWindow(d, x.root(), 40, 40, 120, 80, 0, CopyFromParent, InputOutput,
                                CopyFromParent, 0, &a);
  XStoreName(d, dialog, "dialog");
  XSetTransientForHint(d, dialog, main);
  XMapWindow(d, dialog);
  XSync(d, False);
  const RecordedEvent dlg = waitForWindow(p, "dialog");
  CPPUNIT_ASSERT_MESSAGE(
      dlg.metadata,
      dlg.metadata.find("\"transient-for\":" + std::to_string(first.wid)) != std::string::npos);
  CPPUNIT_ASSERT(dlg.metadata.find(R"("window-type":["DIALOG"])") != std::string::npos);

  // A new title: only what changed is reported.
  p.recorder().clear();
  XStoreName(d, main, "second \xc3\xa9t\xc3\xa9");
  XChangeProperty(d, main, XInternAtom(d, "_NET_WM_NAME", False),
                  XInternAtom(d, "UTF8_STRING", False), 8, PropModeReplace,
                  reinterpret_cast<const unsigned char*>("second \xc3\xa9t\xc3\xa9"), 12);
  XSync(d, False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_METADATA) > 0; }));
  pollUntil(
      p, [] { return false; }, 200);
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_METADATA)) {
    CPPUNIT_ASSERT_EQUAL(first.wid, e.wid);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(
        e.metadata, std::string("{\"title\":\"second \xc3\xa9t\xc3\xa9\"}"), e.metadata);
  }
  // EWMH: the application asks for fullscreen; the state is set and reported.
  p.recorder().clear();
  XEvent ev{};
  ev.xclient.type = ClientMessage;
  ev.xclient.window = main;
  ev.xclient.message_type = XInternAtom(d, "_NET_WM_STATE", False);
  ev.xclient.format = 32;
  ev.xclient.data.l[0] = 1;
  ev.xclient.data.l[1] = static_cast<long>(XInternAtom(d, "_NET_WM_STATE_FULLSCREEN", False));
  XSendEvent(d, x.root(), False, SubstructureRedirectMask | SubstructureNotifyMask, &ev);
  XSync(d, False);
  CPPUNIT_ASSERT(pollUntil(p, [&] {
    for (const auto& e : p.recorder().ofType(RDK_WINDOW_METADATA)) {
      if (e.metadata.find("\"fullscreen\":true") != std::string::npos)
        return true;
    }
    return false;
  }));
}

void SeamlessPlatformTest::moveResizeUnmapAndDamageAreReported() {
  OpenedPlatform p(plugin(), "seamless", options());
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  Display* d = x.display();
  const Window win = topLevel(x, 10, 10, 100, 80, "mover", 0x101010);
  const RecordedEvent w = waitForWindow(p, "mover");
  pollUntil(
      p, [] { return false; }, 200);
  p.recorder().clear();
  x.fill(20, 30, 10, 5, 0xabcdef, win);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_DAMAGE) > 0; }));
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
    CPPUNIT_ASSERT_EQUAL(w.wid, e.wid);
    CPPUNIT_ASSERT(e.rect.x <= 20 && e.rect.y <= 30 && e.rect.x + int(e.rect.w) >= 30 &&
                   e.rect.y + int(e.rect.h) >= 35);
    CPPUNIT_ASSERT(e.rect.w <= 100 && e.rect.h <= 80);
  }
  CPPUNIT_ASSERT_EQUAL(0xabcdefu, rgbAt(p.pixels(w.wid, {20, 30, 10, 5}), 10, 9, 4));

  p.recorder().clear();
  XMoveResizeWindow(d, win, 200, 150, 160, 90);
  XSync(d, False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_MOVE_RESIZE) > 0; }));
  const RecordedEvent moved = p.recorder().ofType(RDK_WINDOW_MOVE_RESIZE).back();
  CPPUNIT_ASSERT_EQUAL(200, moved.rect.x);
  CPPUNIT_ASSERT_EQUAL(150, moved.rect.y);
  CPPUNIT_ASSERT_EQUAL(160u, moved.rect.w);
  CPPUNIT_ASSERT_EQUAL(90u, moved.rect.h);
  CPPUNIT_ASSERT_EQUAL(size_t{160 * 90 * 4}, p.pixels(w.wid, {0, 0, 160, 90}).size());

  p.recorder().clear();
  XResizeWindow(d, win, 170, 95);
  XSync(d, False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_RESIZED) > 0; }));
  CPPUNIT_ASSERT_EQUAL(170u, p.recorder().ofType(RDK_WINDOW_RESIZED).back().rect.w);
  CPPUNIT_ASSERT_EQUAL(size_t{0}, p.recorder().count(RDK_WINDOW_MOVE_RESIZE));

  XUnmapWindow(d, win);
  XSync(d, False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return lost(p, w.wid); }));
  rdk_image image{};
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(w.wid, {0, 0, 10, 10}, image));
  // Mapped again, it is a new remote window with a new id.
  XMapWindow(d, win);
  XSync(d, False);
  CPPUNIT_ASSERT(pollUntil(p, [&] {
    for (const auto& e : p.recorder().ofType(RDK_WINDOW_NEW)) {
      if (hasTitle(e, "mover") && e.wid != w.wid)
        return true;
    }
    return false;
  }));
}

void SeamlessPlatformTest::manyDamageRectanglesKeepDistantAreasApart() {
  // More rectangles in one poll than max_damage_rects, in two far corners of one window: they
  // become a few boxes per corner, not one bounding box of the whole window (as the shadow).
  OpenedPlatform p(plugin(), "seamless", options(R"("max_damage_rects":8)"));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  const Window win = topLevel(x, 0, 0, 600, 400, "corners", 0x101010);
  const RecordedEvent w = waitForWindow(p, "corners");
  pollUntil(
      p, [] { return false; }, 200);
  p.recorder().clear();
  for (int i = 0; i < 20; ++i) {
    x.fill(10 + (i % 5) * 8, 10 + (i / 5) * 8, 3, 3, 0xffffff, win);    // top left
    x.fill(540 + (i % 5) * 8, 340 + (i / 5) * 8, 3, 3, 0xffffff, win);  // bottom right
  }
  XSync(x.display(), False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_DAMAGE) > 0; }));
  pollUntil(
      p, [] { return false; }, 200);
  uint64_t pixels = 0;
  bool topLeft = false, bottomRight = false;
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
    CPPUNIT_ASSERT_EQUAL(w.wid, e.wid);
    CPPUNIT_ASSERT_MESSAGE(
        "a box spans both corners: " + std::to_string(e.rect.w) + "x" + std::to_string(e.rect.h),
        e.rect.w < 300 && e.rect.h < 200);
    pixels += uint64_t{e.rect.w} * e.rect.h;
    topLeft = topLeft || (e.rect.x < 100 && e.rect.y < 100);
    bottomRight = bottomRight || (e.rect.x >= 500 && e.rect.y >= 300);
  }
  CPPUNIT_ASSERT(topLeft && bottomRight);
  CPPUNIT_ASSERT(pixels < 600 * 400 / 4);
}

void SeamlessPlatformTest::typedKeysReachTheApplicationTypedInto() {
  char dir[] = "/tmp/rdk-seamless-XXXXXX";
  CPPUNIT_ASSERT(mkdtemp(dir) != nullptr);
  const std::string file = std::string(dir) + "/typed";
  // Two applications; the keys are for the xterm, which must get the focus from them.
  OpenedPlatform p(
      plugin(), "seamless",
      options(R"("start":["xclock -geometry 100x100+300+0",)"
              R"("xterm -T typist -geometry 40x5+0+0 -e sh -c 'read l; printf %s \"$l\" > )" +
              file + R"('"])"));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  waitForWindow(p, "xclock");
  const RecordedEvent term = waitForWindow(p, "typist");
  pollUntil(
      p, [] { return false; }, 500);  // the shell reads from now on
  for (const char* key : {"h", "i", "exclam", "Return"}) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(term.wid, key, 0, true)));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(term.wid, key, 0, false)));
  }
  std::string typed;
  CPPUNIT_ASSERT(pollUntil(p, [&] {
    std::ifstream in(file);
    std::getline(in, typed);
    return typed == "hi!";
  }));
  CPPUNIT_ASSERT_EQUAL(std::string("hi!"), typed);
  std::remove(file.c_str());
  rmdir(dir);
}

void SeamlessPlatformTest::clicksLandInTheRightWindow() {
  OpenedPlatform p(plugin(), "seamless", options());
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  const Window a = topLevel(x, 0, 0, 200, 200, "lower", 0x202020);
  const RecordedEvent wa = waitForWindow(p, "lower");
  const Window b = topLevel(x, 100, 100, 200, 200, "upper", 0x404040);
  const RecordedEvent wb = waitForWindow(p, "upper");
  XEvent event;
  // (150,150) of "lower" lies under "upper" on the virtual screen: the click still reaches it.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(wa.wid, 150, 150, 1, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(wa.wid, 150, 150, 1, false)));
  CPPUNIT_ASSERT(x.nextEvent(a, {ButtonPress}, event, 5000));
  CPPUNIT_ASSERT_EQUAL(150, event.xbutton.x);
  CPPUNIT_ASSERT_EQUAL(150, event.xbutton.y);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(wb.wid, 10, 20, 3, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(wb.wid, 10, 20, 3, false)));
  CPPUNIT_ASSERT(x.nextEvent(b, {ButtonPress}, event, 5000));
  CPPUNIT_ASSERT_EQUAL(10, event.xbutton.x);
  CPPUNIT_ASSERT_EQUAL(20, event.xbutton.y);
  CPPUNIT_ASSERT_EQUAL(3u, event.xbutton.button);
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.inject(rdk::test::buttonEvent(999, 1, 1, 1, true)));
}

void SeamlessPlatformTest::clientRequestsMoveFocusMinimiseAndClose() {
  OpenedPlatform p(plugin(), "seamless", options(R"("start":"xclock -geometry 100x100+400+10")"));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  XTestClient x(managedDisplay());
  Display* d = x.display();
  const Window win = topLevel(x, 10, 10, 120, 90, "target", 0x336699);
  Atom deleteWindow = XInternAtom(d, "WM_DELETE_WINDOW", False);
  XSetWMProtocols(d, win, &deleteWindow, 1);
  XSync(d, False);
  const RecordedEvent target = waitForWindow(p, "target");
  // Taken now: the recorder is cleared below, and xclock may map before or after that.
  const RecordedEvent clock = waitForWindow(p, "xclock");

  // Moved and resized on the client: the X window follows, and the report says who asked.
  p.recorder().clear();
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_CONFIGURE, target.wid, {200, 100, 150, 110}));
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_MOVE_RESIZE) > 0; }));
  const RecordedEvent moved = p.recorder().ofType(RDK_WINDOW_MOVE_RESIZE).back();
  CPPUNIT_ASSERT_EQUAL(200, moved.rect.x);
  CPPUNIT_ASSERT_EQUAL(110u, moved.rect.h);
  CPPUNIT_ASSERT_EQUAL(std::string(R"({"client-request":true})"), moved.metadata);
  XWindowAttributes a{};
  XGetWindowAttributes(d, win, &a);
  CPPUNIT_ASSERT_EQUAL(200, a.x);
  CPPUNIT_ASSERT_EQUAL(150, a.width);

  // Focus follows the client's.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_FOCUS, target.wid));
  Window focus = 0;
  int revert = 0;
  XGetInputFocus(d, &focus, &revert);
  CPPUNIT_ASSERT_EQUAL(win, focus);

  // Minimised and restored: iconic in the metadata, the window stays.
  p.recorder().clear();
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_UNMAP, target.wid));
  auto metadataHas = [&](const std::string& text) {
    for (const auto& e : p.recorder().ofType(RDK_WINDOW_METADATA)) {
      if (e.metadata.find(text) != std::string::npos)
        return true;
    }
    return false;
  };
  CPPUNIT_ASSERT(pollUntil(p, [&] { return metadataHas("\"iconic\":true"); }));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_MAP, target.wid, moved.rect));
  CPPUNIT_ASSERT(pollUntil(p, [&] { return metadataHas("\"iconic\":false"); }));
  CPPUNIT_ASSERT(!lost(p, target.wid));

  // Closed: an application that speaks WM_DELETE_WINDOW is asked...
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_CLOSE, target.wid));
  XEvent event;
  CPPUNIT_ASSERT(x.nextEvent(win, {ClientMessage}, event, 5000));
  CPPUNIT_ASSERT_EQUAL(static_cast<long>(deleteWindow), event.xclient.data.l[0]);
  // ...and a real one goes away (a second close, after the grace period, kills it).
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_CLOSE, clock.wid));
  if (!pollUntil(
          p, [&] { return lost(p, clock.wid); }, 4000))
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.request(RDK_REQUEST_CLOSE, clock.wid));
  CPPUNIT_ASSERT(pollUntil(p, [&] { return lost(p, clock.wid); }));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.request(RDK_REQUEST_CLOSE, clock.wid));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.request(99, target.wid));
}

void SeamlessPlatformTest::exitWithChildrenAndCleanUp() {
  std::string display;
  pid_t pid = 0;
  {
    OpenedPlatform p(plugin(), "seamless",
                     options(R"("start":"xmessage -name keeper stays","start_child":"sleep 3",)"
                             R"("exit_with_children":true)"));
    CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
    display = managedDisplay();
    const RecordedEvent keeper = waitForWindow(p, "keeper");
    const size_t at = keeper.metadata.find("\"pid\":");
    if (at != std::string::npos)
      pid = static_cast<pid_t>(std::stol(keeper.metadata.substr(at + 6)));
    // The child exits after 3 s: the next poll says the session is over.
    rdk_status status = RDK_OK;
    CPPUNIT_ASSERT(XTestClient::waitFor(
        [&] {
          status = p.poll(rdk::test::nowUs());
          return status != RDK_OK;
        },
        10000));
    CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, status);
    CPPUNIT_ASSERT(p.lastError().find("start-child") != std::string::npos);
  }
  // Closed: the display and the applications on it are gone.
  CPPUNIT_ASSERT(XTestClient::waitFor(
      [&] {
        Display* d = XOpenDisplay(display.c_str());
        if (d)
          XCloseDisplay(d);
        return d == nullptr;
      },
      5000));
  if (pid > 0)
    CPPUNIT_ASSERT(processGone(pid, 5000));
}

void SeamlessPlatformTest::badOptionsAndDisplaysAreRejected() {
  {
    OpenedPlatform p(plugin(), "seamless", R"({"start":7})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.status());
    CPPUNIT_ASSERT(p.lastError().find("'start'") != std::string::npos);
  }
  {
    OpenedPlatform p(plugin(), "seamless", R"({"xvfb":"","display":""})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.status());
  }
  {
    OpenedPlatform p(plugin(), "seamless", R"({"display":"localhost:3"})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.status());
  }
  {
    OpenedPlatform p(plugin(), "seamless", R"({"xvfb":"/nonexistent/Xvfb"})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_NO_DEVICE, p.status());
    CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.lastError().find("display") != std::string::npos);
  }
  // An existing display: managed once; a second manager is refused.
  rdk::test::XvfbServer xvfb(320, 240);
  const std::string given = R"({"xvfb":"","display":")" + xvfb.name() + "\"}";
  OpenedPlatform first(plugin(), "seamless", given);
  CPPUNIT_ASSERT_MESSAGE(first.lastError(), first.ok());
  OpenedPlatform second(plugin(), "seamless", given);
  CPPUNIT_ASSERT_EQUAL(RDK_E_NO_DEVICE, second.status());
  CPPUNIT_ASSERT_MESSAGE(second.lastError(),
                         second.lastError().find("another window manager") != std::string::npos);
  // Its Xvfb lacks nothing we need; capture outside a window and of unknown windows fail cleanly.
  rdk_image image{};
  CPPUNIT_ASSERT_EQUAL(RDK_OK, first.poll(rdk::test::nowUs()));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, first.capture(1, {0, 0, 1, 1}, image));
}
