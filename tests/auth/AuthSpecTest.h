// kernel/authcfg: Xpra's auth option syntax to (module, JSON options).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class AuthSpecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AuthSpecTest);
  CPPUNIT_TEST(testColonAndCommaForms);
  CPPUNIT_TEST(testModuleOnly);
  CPPUNIT_TEST(testValuesKeepSeparatorsAndEscapes);
  CPPUNIT_TEST(testBadSpecsAreErrors);
  CPPUNIT_TEST(testJsonFeedsThePlugin);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testColonAndCommaForms();
  void testModuleOnly();
  void testValuesKeepSeparatorsAndEscapes();
  void testBadSpecsAreErrors();
  void testJsonFeedsThePlugin();
};
