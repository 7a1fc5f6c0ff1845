// The selection policy, table by table.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SelectorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SelectorTest);
  CPPUNIT_TEST(testChoiceTable);
  CPPUNIT_TEST(testRefreshTable);
  CPPUNIT_TEST(testQualityAndSpeedTargets);
  CPPUNIT_TEST(testCommonEncodings);
  CPPUNIT_TEST(testPolicyUsesPropertiesNotNames);
  CPPUNIT_TEST(testClientPreferredEncoding);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testChoiceTable();
  void testRefreshTable();
  void testQualityAndSpeedTargets();
  void testCommonEncodings();
  void testPolicyUsesPropertiesNotNames();
  void testClientPreferredEncoding();
};
