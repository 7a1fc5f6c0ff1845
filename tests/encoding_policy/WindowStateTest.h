// Per-window history: motion detection, refresh scheduling, decode errors, losses.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class WindowStateTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WindowStateTest);
  CPPUNIT_TEST(testDecodeErrorBackoff);
  CPPUNIT_TEST(testRefreshFollowsLastChange);
  CPPUNIT_TEST(testMotionNeedsToBeSustained);
  CPPUNIT_TEST(testKeyframeWanted);
  CPPUNIT_TEST(testAckBookkeeping);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDecodeErrorBackoff();
  void testRefreshFollowsLastChange();
  void testMotionNeedsToBeSustained();
  void testKeyframeWanted();
  void testAckBookkeeping();
};
