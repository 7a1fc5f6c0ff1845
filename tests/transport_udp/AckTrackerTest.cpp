// What the receiver's acks report (core/ack_tracker): recent ranges only, and news of
// non-eliciting datagrams piggybacked at most once per quarter round trip. No sockets, no clock.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include "ack_tracker.hpp"

using rdk::udp::AckFrame;
using rdk::udp::AckTracker;

class AckTrackerTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AckTrackerTest);
  CPPUNIT_TEST(testOnlyRecentRangesAreReported);
  CPPUNIT_TEST(testNewestRangeIsAlwaysReported);
  CPPUNIT_TEST(testLateArrivalIsReported);
  CPPUNIT_TEST(testNonElicitingNewsWaitsAQuarterRoundTrip);
  CPPUNIT_TEST_SUITE_END();

  static constexpr uint64_t kSrtt = 40000, kAckDelay = 20000;  // history: 100 ms

 public:
  // Every tenth datagram lost, one every 5 ms for a second: reporting all history would be 20
  // ranges (~170 bytes); the last 100 ms hold datagrams 181..199 without 190, so 2 ranges.
  void testOnlyRecentRangesAreReported() {
    AckTracker t;
    uint64_t now = 1000000;
    for (uint64_t pn = 1; pn <= 200; ++pn, now += 5000) {
      if (pn % 10 != 0)
        t.onReceived(pn, true, now, kSrtt, kAckDelay, 2);
    }
    const uint64_t last = now - 5000;
    const auto a = t.build(last);
    CPPUNIT_ASSERT(a.has_value());
    CPPUNIT_ASSERT_EQUAL(uint64_t(199), a->ranges.front().high);
    CPPUNIT_ASSERT_EQUAL(size_t(2), a->ranges.size());
    for (const auto& r : a->ranges)
      CPPUNIT_ASSERT(r.low >= 181);  // received at most 100 ms before |last|
  }

  // A quiet spell longer than the history: the newest range still goes (the sender's largest
  // acknowledged and its RTT sample come from it).
  void testNewestRangeIsAlwaysReported() {
    AckTracker t;
    t.onReceived(1, true, 1000000, kSrtt, kAckDelay, 2);
    t.onReceived(3, true, 1001000, kSrtt, kAckDelay, 2);
    const auto a = t.build(5000000);
    CPPUNIT_ASSERT(a.has_value());
    CPPUNIT_ASSERT_EQUAL(size_t(1), a->ranges.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t(3), a->ranges.front().low);
    CPPUNIT_ASSERT_EQUAL(uint64_t(3), a->ranges.front().high);
  }

  // A datagram that arrives late (reordered far back) is recent by its arrival: it is reported,
  // with the ranges between it and the newest.
  void testLateArrivalIsReported() {
    AckTracker t;
    uint64_t now = 1000000;
    for (uint64_t pn = 1; pn <= 50; ++pn, now += 5000) {
      if (pn != 10 && pn != 30)
        t.onReceived(pn, true, now, kSrtt, kAckDelay, 2);
    }
    t.onReceived(10, true, now, kSrtt, kAckDelay, 2);
    const auto a = t.build(now);
    CPPUNIT_ASSERT(a.has_value());
    bool tenReported = false;
    for (const auto& r : a->ranges)
      tenReported = tenReported || (r.low <= 10 && r.high >= 10);
    CPPUNIT_ASSERT(tenReported);
    CPPUNIT_ASSERT_EQUAL(size_t(2), a->ranges.size());  // 31..50 and 1..29
  }

  void testNonElicitingNewsWaitsAQuarterRoundTrip() {
    AckTracker t;
    t.onReceived(1, true, 1000000, kSrtt, kAckDelay, 2);
    CPPUNIT_ASSERT(t.hasNewInfo(1000000));
    t.build(1000000);
    CPPUNIT_ASSERT(!t.hasNewInfo(1000000));
    t.onReceived(2, false, 1001000, kSrtt, kAckDelay, 2);  // an ack-only datagram
    CPPUNIT_ASSERT(!t.hasNewInfo(1001000));
    CPPUNIT_ASSERT(!t.hasNewInfo(1000000 + kSrtt / 4 - 1));
    CPPUNIT_ASSERT(t.hasNewInfo(1000000 + kSrtt / 4));
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, t.dueUs());  // never a reason for an ack of its own
    t.onReceived(3, true, 1002000, kSrtt, kAckDelay, 2);
    CPPUNIT_ASSERT(t.hasNewInfo(1002000));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AckTrackerTest);
