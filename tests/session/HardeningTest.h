// The server under hostile peers, end to end over real sockets with the real plugins: idle and
// half-open connections, password guessing (sequential, abandoned, parallel), oversized and
// compressed hellos, names that would pin memory, and the loop staying responsive for a victim.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class HardeningTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HardeningTest);
  CPPUNIT_TEST(testFiveHundredIdleSocketsDoNotDelayAClient);
  CPPUNIT_TEST(testIdleUdpHandshakesDoNotTakeClientSlots);
  CPPUNIT_TEST(testRefusedPeersAreToldWhy);
  CPPUNIT_TEST(testSilentConnectionIsClosedAtTheHelloDeadline);
  CPPUNIT_TEST(testGuessingIsBoundedPerAddress);
  CPPUNIT_TEST(testAbandonedGuessesStillCount);
  CPPUNIT_TEST(testVictimPingUnaffectedByGuessing);
  CPPUNIT_TEST(testPreAuthenticationSizeAndDecompressionLimits);
  CPPUNIT_TEST(testPeerChosenNamesAndHelloDoNotPinMemoryOrStallTheLoop);
  CPPUNIT_TEST(testProtocolErrorAndDigestFailureReachThePeerAsDisconnect);
  CPPUNIT_TEST(testWindowCountAndSizeLimits);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testFiveHundredIdleSocketsDoNotDelayAClient();
  void testIdleUdpHandshakesDoNotTakeClientSlots();
  void testRefusedPeersAreToldWhy();
  void testSilentConnectionIsClosedAtTheHelloDeadline();
  void testGuessingIsBoundedPerAddress();
  void testAbandonedGuessesStillCount();
  void testVictimPingUnaffectedByGuessing();
  void testPreAuthenticationSizeAndDecompressionLimits();
  void testPeerChosenNamesAndHelloDoNotPinMemoryOrStallTheLoop();
  void testProtocolErrorAndDigestFailureReachThePeerAsDisconnect();
  void testWindowCountAndSizeLimits();
};
