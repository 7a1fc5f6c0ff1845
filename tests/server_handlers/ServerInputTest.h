// ServerInput: key-action, button-action and pointer-position become platform input events in
// window coordinates with an X modifier mask; refusals are counted and kept; malformed input
// packets never reach the platform.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ServerInputTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServerInputTest);
  CPPUNIT_TEST(testKeyAction);
  CPPUNIT_TEST(testPointerInWindowCoordinates);
  CPPUNIT_TEST(testUnknownWindowKeepsRootCoordinates);
  CPPUNIT_TEST(testModifierMask);
  CPPUNIT_TEST(testRefusedInputIsCountedAndKept);
  CPPUNIT_TEST(testMalformedInputNeverReachesThePlatform);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testKeyAction();
  void testPointerInWindowCoordinates();
  void testUnknownWindowKeepsRootCoordinates();
  void testModifierMask();
  void testRefusedInputIsCountedAndKept();
  void testMalformedInputNeverReachesThePlatform();
};
