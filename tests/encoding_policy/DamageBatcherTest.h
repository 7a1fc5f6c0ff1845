// Damage merging, frame-rate cap, back-pressure from lagging damage-sequence acks, and a lone
// damage on a quiet window sent without the batch delay.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class DamageBatcherTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DamageBatcherTest);
  CPPUNIT_TEST(testMergeTable);
  CPPUNIT_TEST(testManyRectsKeepDistantAreasApart);
  CPPUNIT_TEST(testMergeStaysBoundedUnderFlood);
  CPPUNIT_TEST(testBatchDelayAndFrameRateCap);
  CPPUNIT_TEST(testBackPressureSkipsFrames);
  CPPUNIT_TEST(testAckLagAndGiveUp);
  CPPUNIT_TEST(testWindowsAreIndependent);
  CPPUNIT_TEST(testLoneDamageGoesOutAtOnce);
  CPPUNIT_TEST(testSustainedDamageIsBatched);
  CPPUNIT_TEST(testLoneDamageCanBeTurnedOff);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testMergeTable();
  void testManyRectsKeepDistantAreasApart();
  void testMergeStaysBoundedUnderFlood();
  void testBatchDelayAndFrameRateCap();
  void testBackPressureSkipsFrames();
  void testAckLagAndGiveUp();
  void testWindowsAreIndependent();
  void testLoneDamageGoesOutAtOnce();
  void testSustainedDamageIsBatched();
  void testLoneDamageCanBeTurnedOff();
};
