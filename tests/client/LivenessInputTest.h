// Liveness (ping -> ping_echo, ping_echo -> RTT, a ping every 2 s) and InputForwarder (the
// synthetic script and native display input as key-action / button-action / pointer-position).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class LivenessInputTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LivenessInputTest);
  CPPUNIT_TEST(testPingIsEchoed);
  CPPUNIT_TEST(testEchoGivesTheRoundTrip);
  CPPUNIT_TEST(testPingsEveryTwoSeconds);
  CPPUNIT_TEST(testMalformedPings);
  CPPUNIT_TEST(testPingSequenceChecksEchoOrder);
  CPPUNIT_TEST(testSyntheticInput);
  CPPUNIT_TEST(testLocalInputInRootCoordinates);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPingIsEchoed();
  void testEchoGivesTheRoundTrip();
  void testPingsEveryTwoSeconds();
  void testMalformedPings();
  void testPingSequenceChecksEchoOrder();
  void testSyntheticInput();
  void testLocalInputInRootCoordinates();
};
