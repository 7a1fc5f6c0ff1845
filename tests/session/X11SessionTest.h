// The whole pipeline on a real X server: `x11` captures a private Xvfb in shadow mode, the
// rdkernel client receives and decodes it, and the client's keys and clicks come back to an X
// program on that display.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class X11SessionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(X11SessionTest);
  CPPUNIT_TEST(testClientShowsXvfbDesktopAndInputRoundTrips);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testClientShowsXvfbDesktopAndInputRoundTrips();
};
