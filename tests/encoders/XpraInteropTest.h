// Our encoder output, decoded by stock Xpra 3.1.3's own client decoders (/usr/bin/python3 with the
// installed xpra package): proves a stock client can paint what we send.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class XpraInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraInteropTest);
  CPPUNIT_TEST(testStockXpraDecodesOurOutput);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testStockXpraDecodesOurOutput();
};
