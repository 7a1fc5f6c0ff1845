// The server's protections against peers that have not authenticated, without sockets:
// AdmissionControl (pending budgets, idle eviction), AuthThrottle (per-address verdict back-off),
// peer address keys.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class AdmissionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AdmissionTest);
  CPPUNIT_TEST(testPendingBudgetPerAddressEvictsOldestIdle);
  CPPUNIT_TEST(testLiveConnectionsAreNeverEvictedNewcomerIsRefused);
  CPPUNIT_TEST(testTotalBudgetAcrossAddresses);
  CPPUNIT_TEST(testAuthenticatedConnectionsLeaveTheBudget);
  CPPUNIT_TEST(testThrottleSerializesVerdictsAndDoubles);
  CPPUNIT_TEST(testThrottleCountsAbandonedAndForgets);
  CPPUNIT_TEST(testThrottleTracksBoundedAddresses);
  CPPUNIT_TEST(testAddressKeys);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPendingBudgetPerAddressEvictsOldestIdle();
  void testLiveConnectionsAreNeverEvictedNewcomerIsRefused();
  void testTotalBudgetAcrossAddresses();
  void testAuthenticatedConnectionsLeaveTheBudget();
  void testThrottleSerializesVerdictsAndDoubles();
  void testThrottleCountsAbandonedAndForgets();
  void testThrottleTracksBoundedAddresses();
  void testAddressKeys();
};
