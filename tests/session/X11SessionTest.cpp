#include "X11SessionTest.h"

#include <thread>

// The session headers come first: Xlib defines macros (None, Bool) that clash with their names.
#include "session_fixture.hpp"
// clang-format off
#include "../platforms/x_test_client.hpp"
#include "../platforms/xvfb_server.h"
// clang-format on

CPPUNIT_TEST_SUITE_REGISTRATION(X11SessionTest);

void X11SessionTest::testClientShowsXvfbDesktopAndInputRoundTrips() {
  rdk::test::XvfbServer xvfb(320, 240);
  rdk::test::XTestClient x(xvfb.name());
  // A window covering the screen receives the input; its four quadrants are known colours.
  const Window win = x.inputWindow(0, 0, 320, 240);
  const uint32_t colours[4] = {0xff0000, 0x00ff00, 0x0000ff, 0xffff00};
  for (int q = 0; q < 4; ++q)
    x.fill((q % 2) * 160, (q / 2) * 120, 160, 120, colours[q], win);

  auto config = rdk::test::testConfig();
  config.set("server.platform", "x11", "test");
  config.set("server.display", xvfb.name(), "test");
  rdk::test::RunningServer server(config, "tcp://127.0.0.1:0");
  std::map<uint64_t, rdk::session::ClientWindow> windows;
  const auto summary = rdk::test::runClient(config, server.url(), 4.5, true, "", &windows);
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, windows.size());
  const auto& shadow = windows.begin()->second;
  CPPUNIT_ASSERT_EQUAL(320u, shadow.geometry.w);
  CPPUNIT_ASSERT_EQUAL(240u, shadow.geometry.h);
  for (int q = 0; q < 4; ++q) {
    const size_t px = static_cast<size_t>((q / 2) * 120 + 60) * 320 + (q % 2) * 160 + 80;
    const uint8_t* p = &shadow.pixels[px * 4];
    const uint32_t rgb = (uint32_t{p[2]} << 16) | (uint32_t{p[1]} << 8) | p[0];
    CPPUNIT_ASSERT_EQUAL_MESSAGE("quadrant " + std::to_string(q), colours[q], rgb);
  }
  XEvent event;
  CPPUNIT_ASSERT_MESSAGE("no key from the client reached the X program",
                         x.nextEvent(win, {KeyPress}, event, 3000));
  CPPUNIT_ASSERT_MESSAGE("no click from the client reached the X program",
                         x.nextEvent(win, {ButtonPress}, event, 3000));
}
