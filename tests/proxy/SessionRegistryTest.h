// kernel/proxy: the session registry with a fake launcher, the systemd launcher with a fake
// command runner, the child launcher with a stand-in program (no rdkernel, no sockets).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SessionRegistryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SessionRegistryTest);
  CPPUNIT_TEST(testStartsOnceAndCountsConnections);
  CPPUNIT_TEST(testEndedSessionIsReplacedAndReaped);
  CPPUNIT_TEST(testIdleTimeout);
  CPPUNIT_TEST(testLaunchFailure);
  CPPUNIT_TEST(testConcurrentAcquiresShareOneLaunch);
  CPPUNIT_TEST(testSystemdCommands);
  CPPUNIT_TEST(testChildLauncher);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testStartsOnceAndCountsConnections();
  void testEndedSessionIsReplacedAndReaped();
  void testIdleTimeout();
  void testLaunchFailure();
  void testConcurrentAcquiresShareOneLaunch();
  void testSystemdCommands();
  void testChildLauncher();
};
