// `rdkernel proxy --bind udp://...` end to end: rdkernel attach over our UDP transport at 10%
// loss each way (the transport's own impairment, transport.udp.drop-pct) reaches the user's own
// session through the proxy; a client whose address changes mid-stream (a relay that rebinds,
// as a NAT does) keeps its session; dtls:// terminated at the proxy reaches the session too.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ProxyUdpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyUdpTest);
  CPPUNIT_TEST(testUsersGetTheirOwnSessionsAtTenPercentLoss);
  CPPUNIT_TEST(testAddressChangeKeepsTheSession);
  CPPUNIT_TEST(testDtlsIsTerminatedAtTheProxy);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testUsersGetTheirOwnSessionsAtTenPercentLoss();
  void testAddressChangeKeepsTheSession();
  void testDtlsIsTerminatedAtTheProxy();
};
