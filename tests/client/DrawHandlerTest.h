// DrawHandler: draws decoded into their window and acknowledged (damage-sequence), skipped and
// failed draws, video frame gaps acknowledged as decode errors, capture-to-paint latency.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class DrawHandlerTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DrawHandlerTest);
  CPPUNIT_TEST(testDrawIsPaintedAndAcknowledged);
  CPPUNIT_TEST(testSkippedDraws);
  CPPUNIT_TEST(testDecodeFailures);
  CPPUNIT_TEST(testVideoGapsAskForAKeyFrame);
  CPPUNIT_TEST(testVideoDecoderFollowsTheFrameSize);
  CPPUNIT_TEST(testLatencyFromCaptureStamps);
  CPPUNIT_TEST(testMalformedDraw);
  CPPUNIT_TEST(testScrollDrawCopiesRows);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDrawIsPaintedAndAcknowledged();
  void testSkippedDraws();
  void testDecodeFailures();
  void testVideoGapsAskForAKeyFrame();
  void testVideoDecoderFollowsTheFrameSize();
  void testLatencyFromCaptureStamps();
  void testMalformedDraw();
  void testScrollDrawCopiesRows();
};
