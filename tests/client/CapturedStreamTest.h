// The first records a stock Xpra 3.1.3 server sent a stock client (tests/data/xpra-3.1.3),
// through the client's handlers as `rdkernel attach` registers them: every packet is typed,
// windows appear and are mapped, every draw is acknowledged, pings are echoed.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class CapturedStreamTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CapturedStreamTest);
  CPPUNIT_TEST(testXpraServerStreamThroughTheClientHandlers);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testXpraServerStreamThroughTheClientHandlers();
};
