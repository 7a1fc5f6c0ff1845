// ServerLiveness: ping -> ping_echo with the load averages and our RTT, ping_echo -> RTT and
// the client's load, a ping every interval with both clocks, malformed pings refused.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ServerLivenessTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServerLivenessTest);
  CPPUNIT_TEST(testPingIsEchoedWithLoad);
  CPPUNIT_TEST(testEchoGivesRoundTripAndClientLoad);
  CPPUNIT_TEST(testPingsEveryInterval);
  CPPUNIT_TEST(testMalformedPings);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPingIsEchoedWithLoad();
  void testEchoGivesRoundTripAndClientLoad();
  void testPingsEveryInterval();
  void testMalformedPings();
};
