// The x11 shadow's reduction of a poll's many damage rectangles (damage_clusters.h): no X needed.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class DamageClustersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DamageClustersTest);
  CPPUNIT_TEST(testDistantAreasStayApart);
  CPPUNIT_TEST(testTextLinesJoinOneBox);
  CPPUNIT_TEST(testBoundedAndCovering);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDistantAreasStayApart();
  void testTextLinesJoinOneBox();
  void testBoundedAndCovering();
};
