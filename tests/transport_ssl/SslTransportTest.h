// The ssl:// transport plugin: handshakes, data, certificate refusals, and openssl s_client.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rdk/plugin_abi.h"

class SslTransportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SslTransportTest);
  CPPUNIT_TEST(testHandshakeAndRoundTrip);
  CPPUNIT_TEST(testLargeTransferArrivesIntact);
  CPPUNIT_TEST(testCloseReportedOnceOnBothSides);
  CPPUNIT_TEST(testWrongCaRefused);
  CPPUNIT_TEST(testExpiredCertificateRefused);
  CPPUNIT_TEST(testHostnameMismatchRefused);
  CPPUNIT_TEST(testDeclaredSettingsReachTheOptions);
  CPPUNIT_TEST(testClientCertificateRequired);
  CPPUNIT_TEST(testListenerNeedsCertificate);
  CPPUNIT_TEST(testGarbageNeverReachesKernel);
  CPPUNIT_TEST(testIdleSocketsDoNotBlockHandshakes);
  CPPUNIT_TEST(testOpensslSClientConnects);
  CPPUNIT_TEST(testXpraClientTlsLayerConnects);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testHandshakeAndRoundTrip();
  void testLargeTransferArrivesIntact();
  void testCloseReportedOnceOnBothSides();
  void testWrongCaRefused();
  void testExpiredCertificateRefused();
  void testHostnameMismatchRefused();
  void testDeclaredSettingsReachTheOptions();
  void testClientCertificateRequired();
  void testListenerNeedsCertificate();
  void testGarbageNeverReachesKernel();
  void testIdleSocketsDoNotBlockHandshakes();
  void testOpensslSClientConnects();
  void testXpraClientTlsLayerConnects();
};
