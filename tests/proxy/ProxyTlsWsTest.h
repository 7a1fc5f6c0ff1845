// `rdkernel proxy --bind ssl://|ws://|wss://...` end to end: rdkernel attach over TLS and over a
// WebSocket (plain and in TLS) through the proxy reaches the user's own session and desktop; a
// wrong password is refused at the proxy on each; the ws binds serve the web client's page and
// refuse a WebSocket from another origin; ssl without a certificate is refused at start.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ProxyTlsWsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyTlsWsTest);
  CPPUNIT_TEST(testUsersReachTheirSessionsOverSslWsAndWss);
  CPPUNIT_TEST(testWebPageAndUpgradeRules);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testUsersReachTheirSessionsOverSslWsAndWss();
  void testWebPageAndUpgradeRules();
};
