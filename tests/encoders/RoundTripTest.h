// Every codec encodes and decodes awkward sizes within its PSNR bound (exact for lossless).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class RoundTripTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RoundTripTest);
  CPPUNIT_TEST(testAwkwardSizes);
  CPPUNIT_TEST(testVideoSequenceAndKeyframes);
  CPPUNIT_TEST(testKeyframeIntervalFromConfig);
  CPPUNIT_TEST(testXpraDrawOptions);
  CPPUNIT_TEST(testBgraInputAccepted);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testAwkwardSizes();
  void testVideoSequenceAndKeyframes();
  void testKeyframeIntervalFromConfig();
  void testXpraDrawOptions();
  void testBgraInputAccepted();
};
