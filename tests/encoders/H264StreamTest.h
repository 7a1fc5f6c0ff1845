// rdkernel's H.264 header writer (the SPS/PPS/slice headers the VA-API plugin gives drivers):
// syntax-element coding, emulation prevention, and whole streams decoded by stock Xpra 3.1.3.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class H264StreamTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(H264StreamTest);
  CPPUNIT_TEST(testExpGolombCodes);
  CPPUNIT_TEST(testEmulationPreventionRoundTrips);
  CPPUNIT_TEST(testCroppingAndLevel);
  CPPUNIT_TEST(testOddSizesAreRefused);
  CPPUNIT_TEST(testStockXpraDecodesOurStreams);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testExpGolombCodes();
  void testEmulationPreventionRoundTrips();
  void testCroppingAndLevel();
  void testOddSizesAreRefused();
  void testStockXpraDecodesOurStreams();
};
