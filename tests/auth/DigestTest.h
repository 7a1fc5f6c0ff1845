// The digest, salt-cache and back-off building blocks, checked against Xpra 3.1.3's Python code.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class DigestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DigestTest);
  CPPUNIT_TEST(testEveryDigestMatchesXpraGendigest);
  CPPUNIT_TEST(testDesMatchesXpraAndLegacyProvider);
  CPPUNIT_TEST(testChooseDigestFollowsXpraOrder);
  CPPUNIT_TEST(testSplitList);
  CPPUNIT_TEST(testSaltCacheRejectsRepeatsAndIsBounded);
  CPPUNIT_TEST(testBackoffDoublesUpToCap);
  CPPUNIT_TEST(testConstantTimeEquals);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testEveryDigestMatchesXpraGendigest();
  void testDesMatchesXpraAndLegacyProvider();
  void testChooseDigestFollowsXpraOrder();
  void testSplitList();
  void testSaltCacheRejectsRepeatsAndIsBounded();
  void testBackoffDoublesUpToCap();
  void testConstantTimeEquals();
};
