// server.shared-encoding (issue 22 item 7): clients with the same settings share one encode of the
// same still picture; each still gets its own draws and paints the right pixels.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SharedEncodingTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SharedEncodingTest);
  CPPUNIT_TEST(testKeyFollowsPixelsAndEverySetting);
  CPPUNIT_TEST(testCacheIsBoundedByBytesAndAge);
  CPPUNIT_TEST(testWorkersWaitForAnEncodeInProgress);
  CPPUNIT_TEST(testClientsWithTheSameSettingsShareEncodes);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testKeyFollowsPixelsAndEverySetting();
  void testCacheIsBoundedByBytesAndAge();
  void testWorkersWaitForAnEncodeInProgress();
  void testClientsWithTheSameSettingsShareEncodes();
};
