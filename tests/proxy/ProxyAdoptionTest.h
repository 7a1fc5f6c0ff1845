// A restarted `rdkernel proxy` adopts the sessions its predecessor left running (the child
// launcher's records, <state-dir>/<user>.session): after a proxy stopped with --keep-sessions, the
// next one logs "adopted", and alice's attach reaches the same session process and desktop; a
// record whose process is gone or recycled is dropped; without --keep-sessions the sessions end
// with the proxy. The record format without sockets.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ProxyAdoptionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyAdoptionTest);
  CPPUNIT_TEST(testSavedSessionRecord);
  CPPUNIT_TEST(testRestartedProxyAdoptsRunningSessions);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testSavedSessionRecord();
  void testRestartedProxyAdoptsRunningSessions();
};
