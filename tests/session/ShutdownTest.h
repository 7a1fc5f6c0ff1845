// A stopping server (SIGTERM, SIGINT: the loop's stop flag) tells every client "server
// shutdown" before it closes, over a stream and over UDP, within server.shutdown-grace.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ShutdownTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ShutdownTest);
  CPPUNIT_TEST(testStreamPeerIsToldServerShutdown);
  CPPUNIT_TEST(testUdpClientEndsWithServerShutdown);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testStreamPeerIsToldServerShutdown();
  void testUdpClientEndsWithServerShutdown();
};
