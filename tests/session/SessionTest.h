// End-to-end sessions between rdkernel's server and client, in one process, over real sockets
// with real plugins: window packets, input round trips, handshake refusals, bad peers.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SessionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SessionTest);
  CPPUNIT_TEST(testSyntheticSessionSeesEveryWindowPacketAndInput);
  CPPUNIT_TEST(testSoundGoesToClientsThatAskForIt);
  CPPUNIT_TEST(testInfoListsAttachedClients);
  CPPUNIT_TEST(testHelloWithoutVersionIsRefused);
  CPPUNIT_TEST(testNoCommonEncodingListsOfferedAndAvailable);
  CPPUNIT_TEST(testGarbageAndHttpDoNotHurtTheServer);
  CPPUNIT_TEST(testPasswordAuthentication);
  CPPUNIT_TEST(testUdpSessionAtThirtyPercentLoss);
  CPPUNIT_TEST(testUdpSessionThroughBlackouts);
  CPPUNIT_TEST(testBencodePeerGetsInfoWithoutFloats);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testSyntheticSessionSeesEveryWindowPacketAndInput();
  void testSoundGoesToClientsThatAskForIt();
  void testInfoListsAttachedClients();
  void testHelloWithoutVersionIsRefused();
  void testNoCommonEncodingListsOfferedAndAvailable();
  void testGarbageAndHttpDoNotHurtTheServer();
  void testPasswordAuthentication();
  void testUdpSessionAtThirtyPercentLoss();
  void testUdpSessionThroughBlackouts();
  void testBencodePeerGetsInfoWithoutFloats();
};
