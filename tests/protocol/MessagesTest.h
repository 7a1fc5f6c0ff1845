// Typed messages: Xpra 3.1.3 layouts (verified packets from the reference), round trips through
// real records, and layout errors that name the field (every field of every message checked).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class MessagesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MessagesTest);
  CPPUNIT_TEST(testVerifiedLayouts);
  CPPUNIT_TEST(testEveryMessageRoundTrips);
  CPPUNIT_TEST(testOptionalTrailingFields);
  CPPUNIT_TEST(testBadLayoutsNameTheField);
  CPPUNIT_TEST(testEveryMalformedFormIsRefused);
  CPPUNIT_TEST(testBellClassIsAnInt);
  CPPUNIT_TEST(testScrollDraw);
  CPPUNIT_TEST(testAddedMessages);
  CPPUNIT_TEST(testPingStats);
  CPPUNIT_TEST(testCapabilities);
  CPPUNIT_TEST(testNegotiation);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testVerifiedLayouts();
  void testEveryMessageRoundTrips();
  void testOptionalTrailingFields();
  void testBadLayoutsNameTheField();
  void testEveryMalformedFormIsRefused();
  void testBellClassIsAnInt();
  void testScrollDraw();
  void testAddedMessages();
  void testPingStats();
  void testCapabilities();
  void testNegotiation();
};
