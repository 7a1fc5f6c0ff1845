#include "AdmissionTest.h"

#include <set>

#include "rdk/session/admission_control.h"
#include "rdk/session/auth_throttle.h"
#include "rdk/session/peer_host.h"

CPPUNIT_TEST_SUITE_REGISTRATION(AdmissionTest);

using rdk::session::addressKey;
using rdk::session::AdmissionControl;
using rdk::session::AdmissionLimits;
using rdk::session::AuthThrottle;
using rdk::session::AuthThrottleSettings;

namespace {

AdmissionLimits limits(size_t total, size_t perAddress) {
  AdmissionLimits l;
  l.maxPending = total;
  l.maxPendingPerAddress = perAddress;
  return l;
}

}  // namespace

void AdmissionTest::testPendingBudgetPerAddressEvictsOldestIdle() {
  AdmissionControl admission(limits(100, 3));
  auto allIdle = [](uint64_t) { return true; };
  for (uint64_t id = 1; id <= 3; ++id)
    CPPUNIT_ASSERT(admission.admit(id, "10.0.0.1", allIdle).admitted);
  // A fourth from the same address pushes out the oldest idle one, not itself.
  const auto d = admission.admit(4, "10.0.0.1", allIdle);
  CPPUNIT_ASSERT(d.admitted);
  CPPUNIT_ASSERT_EQUAL(size_t(1), d.evict.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), d.evict[0]);
  CPPUNIT_ASSERT_EQUAL(size_t(3), admission.pendingFrom("10.0.0.1"));
  // Another address is not touched by that address's budget.
  CPPUNIT_ASSERT(admission.admit(5, "10.0.0.2", allIdle).evict.empty());
  // 500 idle sockets from one address keep only the newest 3.
  for (uint64_t id = 6; id < 506; ++id)
    CPPUNIT_ASSERT(admission.admit(id, "10.0.0.1", allIdle).admitted);
  CPPUNIT_ASSERT_EQUAL(size_t(4), admission.pending());
}

void AdmissionTest::testLiveConnectionsAreNeverEvictedNewcomerIsRefused() {
  AdmissionControl admission(limits(100, 2));
  std::set<uint64_t> live{1, 2};
  auto idle = [&](uint64_t id) { return !live.count(id); };
  CPPUNIT_ASSERT(admission.admit(1, "a", idle).admitted);
  CPPUNIT_ASSERT(admission.admit(2, "a", idle).admitted);
  const auto d = admission.admit(3, "a", idle);
  CPPUNIT_ASSERT(!d.admitted);
  CPPUNIT_ASSERT(d.evict.empty());
  CPPUNIT_ASSERT_MESSAGE(d.refusal, d.refusal.find("too many connections from a") == 0);
  CPPUNIT_ASSERT_EQUAL(size_t(2), admission.pendingFrom("a"));
  // One of them turns idle-looking? Live means it sent a packet: it stays. Closing frees a slot.
  admission.closed(1);
  CPPUNIT_ASSERT(admission.admit(3, "a", idle).admitted);
}

void AdmissionTest::testTotalBudgetAcrossAddresses() {
  AdmissionControl admission(limits(4, 4));
  std::set<uint64_t> live;
  auto idle = [&](uint64_t id) { return !live.count(id); };
  for (uint64_t id = 1; id <= 4; ++id) {
    CPPUNIT_ASSERT(admission.admit(id, "host" + std::to_string(id), idle).admitted);
    live.insert(id);
  }
  live.erase(3);
  const auto d = admission.admit(5, "host5", idle);
  CPPUNIT_ASSERT(d.admitted);
  CPPUNIT_ASSERT_EQUAL(uint64_t(3), d.evict.at(0));
  live.insert(5);
  const auto full = admission.admit(6, "host6", idle);
  CPPUNIT_ASSERT(!full.admitted);
  CPPUNIT_ASSERT_MESSAGE(full.refusal, full.refusal.find("too many connections waiting") == 0);
  CPPUNIT_ASSERT_EQUAL(size_t(0), admission.pendingFrom("host6"));
}

void AdmissionTest::testAuthenticatedConnectionsLeaveTheBudget() {
  AdmissionControl admission(limits(2, 2));
  auto live = [](uint64_t) { return false; };
  CPPUNIT_ASSERT(admission.admit(1, "a", live).admitted);
  CPPUNIT_ASSERT(admission.admit(2, "a", live).admitted);
  admission.authenticated(1);
  admission.authenticated(2);
  CPPUNIT_ASSERT_EQUAL(size_t(0), admission.pending());
  CPPUNIT_ASSERT(admission.admit(3, "a", live).admitted);
  admission.closed(1);  // already out: no effect on the others
  CPPUNIT_ASSERT_EQUAL(size_t(1), admission.pending());
}

void AdmissionTest::testThrottleSerializesVerdictsAndDoubles() {
  AuthThrottleSettings s;
  s.baseDelayUs = 1'000'000;
  s.maxDelayUs = 16'000'000;
  AuthThrottle throttle(s);
  const std::string a = "192.0.2.1";
  uint64_t now = 1'000'000;
  CPPUNIT_ASSERT(throttle.tryBeginVerdict(a, now));
  // A parallel connection from the same address waits for the verdict in flight.
  CPPUNIT_ASSERT(!throttle.tryBeginVerdict(a, now));
  CPPUNIT_ASSERT(throttle.tryBeginVerdict("192.0.2.2", now));
  throttle.finishVerdict(a, false, now);
  const uint64_t expected[] = {1, 2, 4, 8, 16, 16, 16};
  for (uint64_t seconds : expected) {
    CPPUNIT_ASSERT(!throttle.tryBeginVerdict(a, now + seconds * 1'000'000 - 1));
    now += seconds * 1'000'000;
    CPPUNIT_ASSERT(throttle.tryBeginVerdict(a, now));
    throttle.finishVerdict(a, false, now);
  }
  // Guesses per minute at the cap: at most 60/16 + 1.
  uint64_t verdicts = 0;
  const uint64_t start = now;
  for (uint64_t t = start; t < start + 60'000'000; t += 100'000) {
    if (throttle.tryBeginVerdict(a, t)) {
      ++verdicts;
      throttle.finishVerdict(a, false, t);
    }
  }
  CPPUNIT_ASSERT(verdicts <= 4);
  // Success resets the address.
  now = throttle.nextVerdictUs(a, now + 60'000'000);
  CPPUNIT_ASSERT(throttle.tryBeginVerdict(a, now));
  throttle.finishVerdict(a, true, now);
  CPPUNIT_ASSERT_EQUAL(uint32_t(0), throttle.failures(a));
  CPPUNIT_ASSERT(throttle.tryBeginVerdict(a, now));
}

void AdmissionTest::testThrottleCountsAbandonedAndForgets() {
  AuthThrottleSettings s;
  s.baseDelayUs = 1'000'000;
  s.maxDelayUs = 4'000'000;
  s.forgetAfterUs = 600'000'000;
  AuthThrottle throttle(s);
  const std::string a = "198.51.100.7";
  // Responses sent and abandoned before their verdict still push the next verdict out.
  for (int i = 0; i < 5; ++i)
    throttle.abandoned(a, 10'000'000);
  CPPUNIT_ASSERT_EQUAL(uint32_t(5), throttle.failures(a));
  CPPUNIT_ASSERT(throttle.nextVerdictUs(a, 10'000'000) >=
                 10'000'000 + 1'000'000 + 2'000'000 + 4'000'000 + 4'000'000 + 4'000'000);
  // Ten quiet minutes later the address starts over.
  CPPUNIT_ASSERT(throttle.tryBeginVerdict(a, 700'000'000));
  throttle.finishVerdict(a, false, 700'000'000);
  CPPUNIT_ASSERT_EQUAL(uint32_t(1), throttle.failures(a));
}

void AdmissionTest::testThrottleTracksBoundedAddresses() {
  AuthThrottleSettings s;
  s.maxAddresses = 1000;
  AuthThrottle throttle(s);
  for (int i = 0; i < 100'000; ++i)
    throttle.abandoned("10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) +
                           "." + std::to_string(i % 256),
                       uint64_t(i) * 10);
  CPPUNIT_ASSERT(throttle.trackedAddresses() <= 1000);
  CPPUNIT_ASSERT_EQUAL(uint64_t(2'000'000), throttle.delayAfter(2));
  CPPUNIT_ASSERT_EQUAL(uint64_t(16'000'000), throttle.delayAfter(4000));
}

void AdmissionTest::testAddressKeys() {
  CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), addressKey("tcp://127.0.0.1:5000"));
  CPPUNIT_ASSERT_EQUAL(std::string("::1"), addressKey("udp://[::1]:14500"));
  CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.9"), addressKey("tcp://[::ffff:192.0.2.9]:1"));
  // Two addresses of one IPv6 /64 share a budget; another /64 does not.
  CPPUNIT_ASSERT_EQUAL(addressKey("tcp://[2001:db8:1:2::1]:1"),
                       addressKey("tcp://[2001:db8:1:2:ffff::9]:2"));
  CPPUNIT_ASSERT(addressKey("tcp://[2001:db8:1:2::1]:1") !=
                 addressKey("tcp://[2001:db8:1:3::1]:1"));
  CPPUNIT_ASSERT(rdk::session::isLoopbackPeer("tcp://127.0.0.5:9"));
  CPPUNIT_ASSERT(!rdk::session::isLoopbackPeer("tcp://10.0.0.1:9"));
}
