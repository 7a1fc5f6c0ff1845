// Measured encode times per encoding and how the Selector uses them instead of the features'
// fixed cost figures.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class EncodeTimesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EncodeTimesTest);
  CPPUNIT_TEST(testMeanPerMegapixel);
  CPPUNIT_TEST(testDecodeTimesAddToEncodeTimes);
  CPPUNIT_TEST(testSlowClientDecodeCounts);
  CPPUNIT_TEST(testSmallSamplesAndFewSamplesAreNoEstimate);
  CPPUNIT_TEST(testForgottenAfterAPause);
  CPPUNIT_TEST(testBoundedNumberOfEncodings);
  CPPUNIT_TEST(testMeasuredSlowLosslessLosesToFasterOnes);
  CPPUNIT_TEST(testMeasuredTimesAreUsedByPropertiesNotNames);
  CPPUNIT_TEST(testUnmeasuredIsNotTriedBlindly);
  CPPUNIT_TEST(testOneMeasuredEncodingScalesTheOthers);
  CPPUNIT_TEST(testOneTrialAtATime);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testMeanPerMegapixel();
  void testDecodeTimesAddToEncodeTimes();
  void testSlowClientDecodeCounts();
  void testSmallSamplesAndFewSamplesAreNoEstimate();
  void testForgottenAfterAPause();
  void testBoundedNumberOfEncodings();
  void testMeasuredSlowLosslessLosesToFasterOnes();
  void testMeasuredTimesAreUsedByPropertiesNotNames();
  void testUnmeasuredIsNotTriedBlindly();
  void testOneMeasuredEncodingScalesTheOthers();
  void testOneTrialAtATime();
};
