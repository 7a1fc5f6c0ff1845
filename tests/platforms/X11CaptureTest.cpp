#include "X11CaptureTest.h"

#include <X11/XKBlib.h>
#include <X11/cursorfont.h>
#include <X11/keysym.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "platform_events.hpp"
#include "x_test_client.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(X11CaptureTest);

using rdk::test::LoadedTestPlugin;
using rdk::test::OpenedPlatform;
using rdk::test::XTestClient;

namespace {

constexpr int kWidth = 320, kHeight = 240;

LoadedTestPlugin& plugin() {
  static LoadedTestPlugin p("x11");
  return p;
}

std::string optionsFor(const std::string& display, bool shm = true) {
  return std::string(R"({"display":")") + display + R"(","shm":)" + (shm ? "true" : "false") + "}";
}

/// Polls |p| until |ready| holds or |ms| pass.
bool pollUntil(OpenedPlatform& p, const std::function<bool()>& ready, int ms = 2000) {
  return XTestClient::waitFor(
      [&] {
        CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
        return ready();
      },
      ms);
}

struct Box {
  int x, y;
  unsigned w, h;
  uint32_t rgb;
};

bool covers(const std::vector<rdk::test::RecordedEvent>& damage, int x, int y) {
  return std::any_of(damage.begin(), damage.end(), [&](const auto& e) {
    return x >= e.rect.x && y >= e.rect.y && x < e.rect.x + int(e.rect.w) &&
           y < e.rect.y + int(e.rect.h);
  });
}

}  // namespace

void X11CaptureTest::setUp() {
  xvfb_ = std::make_unique<rdk::test::XvfbServer>(kWidth, kHeight);
}

void X11CaptureTest::tearDown() {
  xvfb_.reset();
}

void X11CaptureTest::captureMatchesPixelsDrawnByAnXClient() {
  XTestClient client(xvfb_->name());
  const Box boxes[] = {{0, 0, 40, 30, 0xff0000},
                       {50, 10, 33, 17, 0x00ff00},
                       {100, 100, 64, 64, 0x0000ff},
                       {kWidth - 7, kHeight - 5, 7, 5, 0x123456}};
  for (const Box& b : boxes)
    client.fill(b.x, b.y, b.w, b.h, b.rgb);
  for (bool shm : {true, false}) {
    OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name(), shm));
    CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
    const auto created = p.recorder().ofType(RDK_WINDOW_NEW);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, created.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, created[0].wid);
    CPPUNIT_ASSERT_EQUAL(uint32_t(kWidth), created[0].rect.w);
    CPPUNIT_ASSERT_EQUAL(uint32_t(kHeight), created[0].rect.h);
    CPPUNIT_ASSERT(created[0].metadata.find("\"title\":") != std::string::npos);
    // The whole screen equals what the X server itself returns...
    const auto whole = p.pixels(1, {0, 0, kWidth, kHeight});
    CPPUNIT_ASSERT_EQUAL(size_t{kWidth * kHeight * 4}, whole.size());
    CPPUNIT_ASSERT(rdk::test::withoutPadding(whole) == client.pixels(0, 0, kWidth, kHeight));
    const std::string path = shm ? "capturing " + xvfb_->name() + " with MIT-SHM"
                                 : "capturing " + xvfb_->name() + " with XGetSubImage";
    CPPUNIT_ASSERT_MESSAGE(plugin().host().log(),
                           plugin().host().log().find(path) != std::string::npos);
    // ...and each box holds exactly its colour, also when captured on its own.
    for (const Box& b : boxes) {
      const auto part = p.pixels(1, {b.x, b.y, b.w, b.h});
      CPPUNIT_ASSERT_EQUAL(size_t{b.w * b.h * 4}, part.size());
      for (size_t i = 0; i < part.size(); i += 4) {
        const uint32_t rgb = part[i] | part[i + 1] << 8 | part[i + 2] << 16;
        CPPUNIT_ASSERT_EQUAL(b.rgb, rgb);
      }
    }
    // Outside the boxes the background (-br) is black.
    const auto gap = p.pixels(1, {45, 50, 10, 10});
    CPPUNIT_ASSERT(std::all_of(gap.begin(), gap.end(),
                               [i = 0](uint8_t v) mutable { return (i++ % 4 == 3) || v == 0; }));
  }
}

void X11CaptureTest::damageCoversOnlyTheChangedArea() {
  XTestClient client(xvfb_->name());
  OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
  const auto initial = p.recorder().ofType(RDK_WINDOW_DAMAGE);
  CPPUNIT_ASSERT(!initial.empty());  // the whole screen, once, to start
  CPPUNIT_ASSERT_EQUAL(uint32_t(kWidth), initial[0].rect.w);
  // Let anything the server had pending drain, then start clean.
  pollUntil(
      p, [] { return false; }, 100);
  p.recorder().clear();

  const Box boxes[] = {{100, 50, 40, 30, 0xffaa00}, {10, 200, 25, 12, 0x00aaff}};
  for (const Box& b : boxes) {
    client.fill(b.x, b.y, b.w, b.h, b.rgb);
    CPPUNIT_ASSERT(pollUntil(p, [&] {
      const auto damage = p.recorder().ofType(RDK_WINDOW_DAMAGE);
      return covers(damage, b.x, b.y) && covers(damage, b.x + b.w - 1, b.y + b.h - 1);
    }));
    pollUntil(
        p, [] { return false; }, 50);
    const auto damage = p.recorder().ofType(RDK_WINDOW_DAMAGE);
    for (int y = b.y; y < int(b.y + b.h); ++y) {
      for (int x = b.x; x < int(b.x + b.w); ++x)
        CPPUNIT_ASSERT(covers(damage, x, y));
    }
    for (const auto& e : damage) {
      CPPUNIT_ASSERT_EQUAL(uint64_t{1}, e.wid);
      // Nothing far beyond the drawn box.
      CPPUNIT_ASSERT(e.rect.x >= b.x - 8 && e.rect.y >= b.y - 8);
      CPPUNIT_ASSERT(e.rect.x + int(e.rect.w) <= int(b.x + b.w) + 8);
      CPPUNIT_ASSERT(e.rect.y + int(e.rect.h) <= int(b.y + b.h) + 8);
    }
    // The damaged area captures as the new colour.
    const auto part = p.pixels(1, {b.x, b.y, b.w, b.h});
    CPPUNIT_ASSERT_EQUAL(b.rgb, uint32_t(part[0] | part[1] << 8 | part[2] << 16));
    p.recorder().clear();
  }
  // No drawing, no damage.
  pollUntil(
      p, [] { return false; }, 100);
  CPPUNIT_ASSERT_EQUAL(size_t{0}, p.recorder().count(RDK_WINDOW_DAMAGE));
}

void X11CaptureTest::declaredSettingsReachTheOptions() {
  // platform.x11.max-damage-rects (settings.json) fills the option the kernel did not pass: with
  // 1, two boxes drawn far apart before one poll come as one bounding box (with 64, as two).
  XTestClient client(xvfb_->name());
  for (const char* max : {"1", ""}) {
    plugin().host().setConfig("platform.x11.max-damage-rects", max);
    OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
    CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
    pollUntil(
        p, [] { return false; }, 100);
    p.recorder().clear();
    client.fill(10, 10, 8, 8, 0x336699);
    client.fill(200, 150, 8, 8, 0x996633);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CPPUNIT_ASSERT(pollUntil(p, [&] {
      const auto damage = p.recorder().ofType(RDK_WINDOW_DAMAGE);
      return covers(damage, 10, 10) && covers(damage, 207, 157);
    }));
    const auto damage = p.recorder().ofType(RDK_WINDOW_DAMAGE);
    const bool merged = std::any_of(damage.begin(), damage.end(), [](const auto& e) {
      return covers({e}, 10, 10) && covers({e}, 207, 157);
    });
    std::string seen;
    for (const auto& e : damage) {
      seen += " " + std::to_string(e.rect.x) + "," + std::to_string(e.rect.y) + " " +
              std::to_string(e.rect.w) + "x" + std::to_string(e.rect.h);
    }
    CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("max-damage-rects=") + max + ", damage:" + seen,
                                 *max == '1', merged);
  }
  // A value the kernel passes wins over the setting.
  plugin().host().setConfig("platform.x11.max-damage-rects", "1");
  OpenedPlatform bad(plugin(), "x11",
                     R"({"display":")" + xvfb_->name() + R"(","max_damage_rects":0})");
  CPPUNIT_ASSERT(!bad.ok());
  plugin().host().setConfig("platform.x11.max-damage-rects", "");
}

void X11CaptureTest::injectedKeysAndClicksReachAnXClient() {
  XTestClient client(xvfb_->name());
  const Window win = client.inputWindow(40, 30, 200, 100);
  OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));

  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::motionEvent(1, 60, 50)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(1, 60, 50, 1, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(1, 60, 50, 1, false)));
  XEvent ev;
  CPPUNIT_ASSERT(client.nextEvent(win, {ButtonPress}, ev));
  CPPUNIT_ASSERT_EQUAL(1u, ev.xbutton.button);
  CPPUNIT_ASSERT_EQUAL(20, ev.xbutton.x);  // window coordinates: 60-40, 50-30
  CPPUNIT_ASSERT_EQUAL(20, ev.xbutton.y);
  CPPUNIT_ASSERT(client.nextEvent(win, {ButtonRelease}, ev));

  // Keys by keysym name; "A" and "exclam" live on the shifted level.
  const char* typed[] = {"a", "A", "exclam", "Return"};
  const char* expected[] = {"a", "A", "!", "\r"};
  for (size_t i = 0; i < 4; ++i) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, typed[i], 0, true)));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, typed[i], 0, false)));
    char text[8] = {0};
    KeySym sym = NoSymbol;
    do {  // Shift, pressed around shifted keys, arrives first
      CPPUNIT_ASSERT_MESSAGE(std::string("no KeyPress for ") + typed[i],
                             client.nextEvent(win, {KeyPress}, ev));
      std::fill(std::begin(text), std::end(text), 0);
      XLookupString(&ev.xkey, text, sizeof(text) - 1, &sym, nullptr);
    } while (IsModifierKey(sym));
    CPPUNIT_ASSERT_EQUAL(std::string(expected[i]), std::string(text));
  }
  // By keysym value when the name is missing (what a client sends for unnamed keys).
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, nullptr, 'z', true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, nullptr, 'z', false)));
  CPPUNIT_ASSERT(client.nextEvent(win, {KeyPress}, ev));
  CPPUNIT_ASSERT_EQUAL(KeySym('z'), XLookupKeysym(&ev.xkey, 0));
  // A keysym the US keymap lacks is mapped on a spare keycode first.
  for (int round = 0; round < 2; ++round) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, "Greek_alpha", 0, true)));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, "Greek_alpha", 0, false)));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
    CPPUNIT_ASSERT(client.nextEvent(win, {KeyPress}, ev));
    int perCode = 0;
    KeySym* syms = XGetKeyboardMapping(client.display(), ev.xkey.keycode, 1, &perCode);
    CPPUNIT_ASSERT(syms && perCode > 0);
    CPPUNIT_ASSERT_EQUAL(KeySym(XK_Greek_alpha), syms[0]);
    XFree(syms);
    XEvent release;  // earlier keys' releases are still queued: find this key's
    bool released = false;
    while (!released && client.nextEvent(win, {KeyRelease}, release))
      released = release.xkey.keycode == ev.xkey.keycode;
    CPPUNIT_ASSERT(released);
  }
}

void X11CaptureTest::cursorPointerAndBellAreReported() {
  XTestClient client(xvfb_->name());
  OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, p.recorder().count(RDK_WINDOW_CURSOR));
  p.recorder().clear();

  // A new root cursor shape is reported with its image and hotspot.
  const Cursor cross = XCreateFontCursor(client.display(), XC_crosshair);
  XDefineCursor(client.display(), client.root(), cross);
  XSync(client.display(), False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_CURSOR) > 0; }));
  const auto cursor = p.recorder().ofType(RDK_WINDOW_CURSOR).back();
  CPPUNIT_ASSERT(cursor.imageWidth > 0 && cursor.imageHeight > 0);
  CPPUNIT_ASSERT_EQUAL(cursor.imageWidth, cursor.rect.w);
  CPPUNIT_ASSERT(cursor.rect.x >= 0 && cursor.rect.x < int(cursor.imageWidth));
  bool opaque = false;
  for (size_t i = 3; i < cursor.image.size(); i += 4)
    opaque |= cursor.image[i] == 0xff;
  CPPUNIT_ASSERT(opaque);

  // Pointer moves (injected here) come back as POINTER in root coordinates.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::motionEvent(1, 123, 45)));
  CPPUNIT_ASSERT(pollUntil(p, [&] {
    const auto moves = p.recorder().ofType(RDK_WINDOW_POINTER);
    return !moves.empty() && moves.back().rect.x == 123 && moves.back().rect.y == 45;
  }));

  // A bell rung by an X client.
  XkbBell(client.display(), None, 0, None);
  XSync(client.display(), False);
  CPPUNIT_ASSERT(pollUntil(p, [&] { return p.recorder().count(RDK_WINDOW_BELL) > 0; }));
  CPPUNIT_ASSERT(p.recorder().ofType(RDK_WINDOW_BELL)[0].metadata.find("\"percent\":") !=
                 std::string::npos);
}

void X11CaptureTest::xtermEchoesInjectedKeysAsDamage() {
  // A real X program: xterm at 10,10 running cat, so typed characters are echoed on screen.
  OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
  p.recorder().clear();
  rdk::test::XProgram xterm(xvfb_->name(), {"xterm", "-geometry", "30x6+10+10", "-e", "cat"});
  // Its first drawing arrives as damage inside the screen.
  CPPUNIT_ASSERT_MESSAGE(
      "xterm never drew",
      pollUntil(
          p, [&] { return covers(p.recorder().ofType(RDK_WINDOW_DAMAGE), 20, 20); }, 10000));
  pollUntil(
      p, [] { return false; }, 300);  // let it finish drawing
  // Focus follows the pointer without a window manager: put it over the xterm, then type.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::motionEvent(1, 40, 30)));
  pollUntil(
      p, [] { return false; }, 300);  // the focus change redraws xterm's cursor
  const rdk_rect area{10, 10, 150, 60};
  const auto before = p.pixels(1, area);
  p.recorder().clear();
  for (const char* key : {"h", "i", "space", "x"}) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, key, 0, true)));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(0, key, 0, false)));
  }
  CPPUNIT_ASSERT_MESSAGE(
      "typed keys never showed",
      pollUntil(
          p,
          [&] { return p.recorder().count(RDK_WINDOW_DAMAGE) > 0 && p.pixels(1, area) != before; },
          5000));
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
    CPPUNIT_ASSERT(e.rect.x >= 10 && e.rect.y >= 10);  // only inside the xterm
  }
}

void X11CaptureTest::badRequestsAreRejected() {
  {
    OpenedPlatform p(plugin(), "x11", R"({"display":":119999"})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_NO_DEVICE, p.status());
    CPPUNIT_ASSERT(p.lastError().find(":119999") != std::string::npos);
  }
  {
    OpenedPlatform p(plugin(), "x11", R"({"display":7})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.status());
  }
  {
    OpenedPlatform p(plugin(), "synthetic", optionsFor(xvfb_->name()));
    CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED, p.status());
  }
  OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
  CPPUNIT_ASSERT(p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
  rdk_image image{};
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(1, {kWidth - 10, 0, 11, 1}, image));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(1, {-1, 0, 5, 5}, image));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(2, {0, 0, 5, 5}, image));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                       p.inject(rdk::test::keyEvent(0, "NoSuchKeysymAnywhere", 0, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.inject(rdk::test::buttonEvent(9, 1, 1, 1, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.capture(1, {kWidth - 1, kHeight - 1, 1, 1}, image));
}

void X11CaptureTest::lostXServerIsAnErrorNotAnExit() {
  OpenedPlatform p(plugin(), "x11", optionsFor(xvfb_->name()));
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(rdk::test::nowUs()));
  xvfb_.reset();  // the X server goes away under the platform
  rdk_status status = RDK_OK;
  for (int i = 0; i < 50 && status == RDK_OK; ++i) {
    status = p.poll(rdk::test::nowUs());
    if (status == RDK_OK) {
      rdk_image image{};
      status = p.capture(1, {0, 0, 8, 8}, image);
    }
  }
  CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, status);
  CPPUNIT_ASSERT(p.lastError().find("lost the connection") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, p.poll(rdk::test::nowUs()));
  CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, p.inject(rdk::test::motionEvent(1, 1, 1)));
}
