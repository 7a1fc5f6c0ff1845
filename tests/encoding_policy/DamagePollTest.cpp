#include "DamagePollTest.h"

#include <vector>

#include "rdk/encoding/damage_poll.h"

using rdk::encoding::DamagePollSchedule;

CPPUNIT_TEST_SUITE_REGISTRATION(DamagePollTest);

namespace {
constexpr uint64_t kMs = 1000;
constexpr uint64_t kT = 50'000'000;

// Runs the loop as the server does (poll when due, then sleep waitUs) from |from| to |to| and
// returns the times it polled. Input is injected at |inputAt| (0: none).
std::vector<uint64_t> run(DamagePollSchedule& s, uint64_t from, uint64_t to, uint64_t inputAt) {
  std::vector<uint64_t> polls;
  bool injected = false;
  for (uint64_t now = from; now < to;) {
    if (s.due(now)) {
      polls.push_back(now);
      s.onPolled(now);
    }
    if (inputAt && !injected && now >= inputAt) {
      s.onInput(now);
      injected = true;
    }
    const uint64_t wait = s.waitUs(now);
    CPPUNIT_ASSERT(wait > 0);
    now += wait;
  }
  return polls;
}
}  // namespace

void DamagePollTest::testPeriodicWhenIdle() {
  DamagePollSchedule s({});
  const auto polls = run(s, kT, kT + 100 * kMs, 0);
  // One poll per period (10 ms), never more, and the loop sleeps at most idleWaitUs.
  CPPUNIT_ASSERT_EQUAL(size_t(10), polls.size());
  for (size_t i = 1; i < polls.size(); ++i)
    CPPUNIT_ASSERT_EQUAL(10 * kMs, polls[i] - polls[i - 1]);
  CPPUNIT_ASSERT(s.waitUs(kT + 200 * kMs) <= 2 * kMs);
}

void DamagePollTest::testEveryTurnAfterInput() {
  DamagePollSchedule s({});
  s.onPolled(kT);
  CPPUNIT_ASSERT(!s.due(kT + 1 * kMs));
  s.onInput(kT + 1 * kMs);
  // The next turn polls, and so does every turn for followUs, with a short sleep.
  CPPUNIT_ASSERT(s.due(kT + 1 * kMs));
  s.onPolled(kT + 1 * kMs);
  CPPUNIT_ASSERT_EQUAL(1 * kMs, s.waitUs(kT + 1 * kMs));
  CPPUNIT_ASSERT(s.due(kT + 2 * kMs));
  CPPUNIT_ASSERT(s.due(kT + 100 * kMs));
  // Then back to the period.
  s.onPolled(kT + 101 * kMs);
  CPPUNIT_ASSERT(!s.following(kT + 101 * kMs));
  CPPUNIT_ASSERT(!s.due(kT + 110 * kMs));
  CPPUNIT_ASSERT(s.due(kT + 111 * kMs));
}

void DamagePollTest::testEchoFoundSoonAfterInput() {
  // Input 3 ms after a periodic poll: before, the echo drawn 1 ms later waited for the poll at
  // +10 ms; now a poll comes within followWaitUs of it.
  DamagePollSchedule s({});
  const uint64_t input = kT + 3 * kMs;
  const uint64_t echoDrawn = input + 1 * kMs;
  const auto polls = run(s, kT, kT + 50 * kMs, input);
  uint64_t found = 0;
  for (uint64_t p : polls) {
    if (p >= echoDrawn) {
      found = p;
      break;
    }
  }
  CPPUNIT_ASSERT(found != 0);
  CPPUNIT_ASSERT(found - echoDrawn <= 1 * kMs);
}
