// When the server loop polls its platform for damage: periodically, and on every turn right
// after input (a keystroke's echo is looked for at once).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class DamagePollTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DamagePollTest);
  CPPUNIT_TEST(testPeriodicWhenIdle);
  CPPUNIT_TEST(testEveryTurnAfterInput);
  CPPUNIT_TEST(testEchoFoundSoonAfterInput);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPeriodicWhenIdle();
  void testEveryTurnAfterInput();
  void testEchoFoundSoonAfterInput();
};
