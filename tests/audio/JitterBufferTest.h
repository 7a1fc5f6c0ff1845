// The jitter buffer in simulated time: steady playout, reordering, late packets, FEC and
// concealment for gaps, pauses, bounded memory.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class JitterBufferTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JitterBufferTest);
  CPPUNIT_TEST(testPlaysAfterTargetDelay);
  CPPUNIT_TEST(testReorderedPacketsPlayInOrder);
  CPPUNIT_TEST(testLatePacketsAreDropped);
  CPPUNIT_TEST(testGapsAreRecoveredOrConcealed);
  CPPUNIT_TEST(testPauseStopsConcealmentAndReanchors);
  CPPUNIT_TEST(testFastSenderDelayStaysBounded);
  CPPUNIT_TEST(testJumpAheadResyncs);
  CPPUNIT_TEST(testDuplicatesAndEmptyAreRefused);
  CPPUNIT_TEST(testLossAtTenPercentHasNoLongGap);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPlaysAfterTargetDelay();
  void testReorderedPacketsPlayInOrder();
  void testLatePacketsAreDropped();
  void testGapsAreRecoveredOrConcealed();
  void testPauseStopsConcealmentAndReanchors();
  void testFastSenderDelayStaysBounded();
  void testJumpAheadResyncs();
  void testDuplicatesAndEmptyAreRefused();
  void testLossAtTenPercentHasNoLongGap();
};
