// Video-region detection on synthetic damage scenes, in simulated time.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class VideoRegionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(VideoRegionTest);
  CPPUNIT_TEST(testMovingRectangleOnStaticPage);
  CPPUNIT_TEST(testVideoPlayerArea);
  CPPUNIT_TEST(testScatteredSmallDamageNoRegion);
  CPPUNIT_TEST(testWholeWindowMotion);
  CPPUNIT_TEST(testRegionMoves);
  CPPUNIT_TEST(testBoundedUnderFlood);
  CPPUNIT_TEST(testRectHelpers);
  CPPUNIT_TEST(testPlanSplitsAroundRegion);
  CPPUNIT_TEST(testRefreshOnlyTheLossyArea);
  CPPUNIT_TEST(testSampleColours);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testMovingRectangleOnStaticPage();
  void testVideoPlayerArea();
  void testScatteredSmallDamageNoRegion();
  void testWholeWindowMotion();
  void testRegionMoves();
  void testBoundedUnderFlood();
  void testRectHelpers();
  void testPlanSplitsAroundRegion();
  void testRefreshOnlyTheLossyArea();
  void testSampleColours();
};
