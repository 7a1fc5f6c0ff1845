// The stock Xpra 3.1.3 client paints rdkernel's scroll draws: `rdkernel serve --platform x11`
// shadows an Xvfb where the test scrolls text as xterm does (XCopyArea + a new line); a stock
// `xpra attach` on a second Xvfb must end showing exactly the same pixels, and the server's info
// must count scroll draws sent to it (it announced encoding.scrolling in map-window).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class XpraScrollInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraScrollInteropTest);
  CPPUNIT_TEST(testXpraClientPaintsScrollDraws);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testXpraClientPaintsScrollDraws();
};
