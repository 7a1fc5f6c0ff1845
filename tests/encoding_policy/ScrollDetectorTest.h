// Scroll detection on row hashes of synthetic text frames; plans applied as a client would.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ScrollDetectorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ScrollDetectorTest);
  CPPUNIT_TEST(testScrollUpIsPixelExact);
  CPPUNIT_TEST(testScrollDownIsPixelExact);
  CPPUNIT_TEST(testStaticHeaderStaysUnchanged);
  CPPUNIT_TEST(testDifferentRowRanges);
  CPPUNIT_TEST(testNoScrollOnNewContent);
  CPPUNIT_TEST(testRefusals);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testScrollUpIsPixelExact();
  void testScrollDownIsPixelExact();
  void testStaticHeaderStaysUnchanged();
  void testDifferentRowRanges();
  void testNoScrollOnNewContent();
  void testRefusals();
};
