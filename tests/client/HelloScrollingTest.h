// Whether the rdkernel client announces that it paints `scroll` draws, by the encoding asked for.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class HelloScrollingTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HelloScrollingTest);
  CPPUNIT_TEST(testNamedPictureEncodingKeepsScrollDraws);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testNamedPictureEncodingKeepsScrollDraws();
};
