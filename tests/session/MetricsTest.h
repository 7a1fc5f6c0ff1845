// /metrics (server.metrics-bind): the Prometheus text of a snapshot (names, types, escaped
// labels), the loop's snapshot of a live session, and the HTTP endpoint (200 on /metrics, 404
// elsewhere, 405 for POST, a clear error for a port in use).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class MetricsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MetricsTest);
  CPPUNIT_TEST(testPrometheusText);
  CPPUNIT_TEST(testSnapshotOfALiveSession);
  CPPUNIT_TEST(testHttpEndpoint);
  CPPUNIT_TEST(testTransportRefusalsAreCounted);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPrometheusText();
  void testSnapshotOfALiveSession();
  void testHttpEndpoint();
  /// What a transport plugin turns away (here: UDP datagrams without a valid header) reaches
  /// rdk_plugin_refusals_total through the host's count_refusal (ABI 1.3).
  void testTransportRefusalsAreCounted();
};
