// Scroll draws and video regions end to end: `x11` shadows a private Xvfb where a test program
// scrolls text (XCopyArea + a new line, as xterm does) or moves a textured square over a static
// page; the rdkernel client must end pixel-exact with the screen, having received scroll draws,
// and video only for the moving area (then a lossless refresh once the motion stopped).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ScrollRegionSessionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ScrollRegionSessionTest);
  CPPUNIT_TEST(testScrollingTextIsPixelExact);
  CPPUNIT_TEST(testVideoRegionThenLosslessRefresh);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testScrollingTextIsPixelExact();
  void testVideoRegionThenLosslessRefresh();
};
