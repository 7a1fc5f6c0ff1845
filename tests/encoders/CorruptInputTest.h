// Corrupt, truncated or mismatched data into every decoder gives an error status, never a crash.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class CorruptInputTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CorruptInputTest);
  CPPUNIT_TEST(testTruncated);
  CPPUNIT_TEST(testBitFlipsNeverCrash);
  CPPUNIT_TEST(testGarbage);
  CPPUNIT_TEST(testWrongSize);
  CPPUNIT_TEST(testBadArguments);
  CPPUNIT_TEST(testInterFrameWithoutKeyframe);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testTruncated();
  void testBitFlipsNeverCrash();
  void testGarbage();
  void testWrongSize();
  void testBadArguments();
  void testInterFrameWithoutKeyframe();
};
