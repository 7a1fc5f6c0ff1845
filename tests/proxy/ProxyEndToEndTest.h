// `rdkernel proxy` end to end: real sessions (rdkernel serve on the synthetic desktop) started
// by the proxy, reached by `rdkernel attach` through it.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ProxyEndToEndTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyEndToEndTest);
  CPPUNIT_TEST(testThreeUsersGetTheirOwnSessions);
  CPPUNIT_TEST(testWrongPasswordIsRefusedAtTheProxy);
  CPPUNIT_TEST(testKilledSessionIsReplacedAtTheNextAttach);
  CPPUNIT_TEST(testBadUsersFileIsRefusedWithItsLine);
  CPPUNIT_TEST(testIdleSocketsAreBounded);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testThreeUsersGetTheirOwnSessions();
  void testWrongPasswordIsRefusedAtTheProxy();
  void testKilledSessionIsReplacedAtTheNextAttach();
  void testBadUsersFileIsRefusedWithItsLine();
  void testIdleSocketsAreBounded();
};
