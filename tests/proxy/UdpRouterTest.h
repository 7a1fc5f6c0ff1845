// The UDP proxy's routing without sockets (kernel/proxy udp_router, udp_hello): the handshake it
// answers, the hello it reads from held datagrams, the replayed handshake to the session,
// verbatim forwarding, a client that changes address, unknown ids, expiry and limits.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class UdpRouterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(UdpRouterTest);
  CPPUNIT_TEST(testHelloIsReadAndDatagramsForwardedVerbatim);
  CPPUNIT_TEST(testClientAddressChangeKeepsTheRoute);
  CPPUNIT_TEST(testUnknownIdsAndStrangersAreDropped);
  CPPUNIT_TEST(testRoutesExpire);
  CPPUNIT_TEST(testLimits);
  CPPUNIT_TEST(testHelloAssemblerAndUsername);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testHelloIsReadAndDatagramsForwardedVerbatim();
  void testClientAddressChangeKeepsTheRoute();
  void testUnknownIdsAndStrangersAreDropped();
  void testRoutesExpire();
  void testLimits();
  void testHelloAssemblerAndUsername();
};
