#include "XpraScrollInteropTest.h"

#include <cstdlib>
#include <cstring>
#include <random>
#include <regex>
#include <thread>

#include "interop_support.hpp"
// clang-format off
#include "../platforms/x_test_client.hpp"
#include "../platforms/xvfb_server.h"
// clang-format on

CPPUNIT_TEST_SUITE_REGISTRATION(XpraScrollInteropTest);

using rdk::test::ChildProcess;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using namespace rdk::test::interop;

namespace {

void putPixels(rdk::test::XTestClient& x, int px, int py, unsigned w, unsigned h,
               const std::vector<uint32_t>& rgb) {
  Display* d = x.display();
  auto* data = static_cast<char*>(std::malloc(size_t{w} * h * 4));
  std::memcpy(data, rgb.data(), size_t{w} * h * 4);
  XImage* img =
      XCreateImage(d, DefaultVisual(d, DefaultScreen(d)), 24, ZPixmap, 0, data, w, h, 32, 0);
  GC gc = XCreateGC(d, x.root(), 0, nullptr);
  XPutImage(d, x.root(), gc, img, 0, 0, px, py, w, h);
  XFreeGC(d, gc);
  XDestroyImage(img);
  XSync(d, False);
}

// A 16-px line of "text" whose rows differ from each other and from other lines.
std::vector<uint32_t> textLine(unsigned w, unsigned lineNumber) {
  std::vector<uint32_t> px(size_t{w} * 16, 0xf0f0f0);
  std::mt19937 rng(lineNumber * 2654435761u + 7);
  for (unsigned y = 3; y < 13; ++y) {
    for (unsigned x = 0; x < w; ++x) {
      if (x % 8 < 6 && rng() % 3 == 0)
        px[size_t{y} * w + x] = 0x202020 + (lineNumber % 7) * 0x100000;
    }
  }
  return px;
}

}  // namespace

void XpraScrollInteropTest::testXpraClientPaintsScrollDraws() {
  const std::string dir = testDirectory("interop-xpra-scroll");
  constexpr unsigned kW = 480, kH = 360;
  const int ax = 16, ay = 16;
  const unsigned aw = 448, ah = 320;
  rdk::test::XvfbServer source(kW, kH);
  rdk::test::XTestClient x(source.name());
  x.fill(0, 0, kW, kH, 0x304050);
  for (unsigned line = 0; line < ah / 16; ++line)
    putPixels(x, ax, ay + int(line) * 16, aw, 16, textLine(aw, line));

  ChildProcess server({kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--platform", "x11",
                       "--display", source.name()},
                      dir + "/serve.log");
  const std::string url = startRdkernel(server);
  rdk::test::XvfbServer viewer(640, 480);
  ChildProcess client(xpraAttachCommand(url + "/", dir), dir + "/xpra-attach.log",
                      xpraEnv(dir, viewer.name()));
  CPPUNIT_ASSERT_MESSAGE(client.output(), !client.waitForOutput("Attached to", 30000).empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));  // first paint
  GC gc = XCreateGC(x.display(), x.root(), 0, nullptr);
  for (unsigned step = 0; step < 20; ++step) {
    XCopyArea(x.display(), x.root(), x.root(), gc, ax, ay + 16, aw, ah - 16, ax, ay);
    XSync(x.display(), False);
    putPixels(x, ax, ay + int(ah) - 16, aw, 16, textLine(aw, ah / 16 + step));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  XFreeGC(x.display(), gc);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // refreshes settle

  // The server sent scroll draws to this client (its info counts them per client).
  auto [infoCode, info] = runProgram({kRdkernel, "info", url}, dir + "/info.log", 20000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(info, 0, infoCode);
  std::smatch m;
  CPPUNIT_ASSERT_MESSAGE(
      info, std::regex_search(info, m,
                              std::regex("\"client\\.[0-9]+\\.damage\\.scrolls\" *: *([0-9]+)")));
  CPPUNIT_ASSERT_MESSAGE("scroll draws sent: " + m[1].str(), std::stoi(m[1].str()) >= 5);
  CPPUNIT_ASSERT_MESSAGE(
      info, std::regex_search(info, std::regex("window\\.1\\.scrolling\" *: *(1|true)")));

  // The stock client's window (the shadow of the source screen, at 0,0 without a window
  // manager) shows exactly the source pixels.
  rdk::test::XTestClient v(viewer.name());
  const auto want = rdk::test::withoutPadding(x.pixels(0, 0, kW, kH));
  const auto got = rdk::test::withoutPadding(v.pixels(0, 0, kW, kH));
  size_t diffs = 0, first = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] != got[i] && diffs++ == 0)
      first = i / 4;
  }
  CPPUNIT_ASSERT_MESSAGE(std::to_string(diffs) + " bytes differ, first at " +
                             std::to_string(first % kW) + "," + std::to_string(first / kW) + "\n" +
                             client.output(),
                         diffs == 0);
  CPPUNIT_ASSERT_MESSAGE(client.output(), client.output().find("Traceback") == std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(client.output(), client.output().find("scroll") == std::string::npos ||
                                              client.output().find("rror") == std::string::npos);
}
