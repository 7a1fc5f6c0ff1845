// The stock Xpra 3.1.3 GTK client against `rdkernel start`: each application on the server's
// virtual display is a top-level window of its own on the client's display (xwininfo -root -tree),
// with the application's class, size and place, and the same pixels as on the server.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class XpraSeamlessInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraSeamlessInteropTest);
  CPPUNIT_TEST(testXpraClientShowsEachApplicationAsItsOwnWindow);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testXpraClientShowsEachApplicationAsItsOwnWindow();
};
