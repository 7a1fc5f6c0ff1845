// The congestion controller against a rate cap, in virtual time: a tbf-like bottleneck (FIFO
// drained at a fixed rate, tail drop beyond 200 ms of backlog) between server and client.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

class CongestionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CongestionTest);
  CPPUNIT_TEST(testRateCapKeepsQueueShortAndSmallMessagesFast);
  CPPUNIT_TEST_SUITE_END();

 public:
  struct Result {
    uint64_t screenP50 = 0, screenP90 = 0, smallP50 = 0, smallP99 = 0, goodputBps = 0;
    size_t small = 0, smallSent = 0;
    uint64_t maxQueuedUs = 0, drops = 0;
  };

  // 15 kB screen updates at 60 Hz (7.2 Mbit/s offered, each superseding the one before) and a
  // 200-byte droppable "sound" message every 20 ms, over a |capBps| bottleneck, 20 ms one way.
  Result run(uint64_t capBps, uint64_t seconds) {
    UdpOptions o;
    ImpairmentConfig way;
    way.delayUs = 20000;
    SimulatedLink link(o, way, way, 5);
    link.bottleneckBps = capBps;
    std::map<uint32_t, uint64_t> sentAt;
    uint32_t n = 0, s = 0;
    uint64_t nextScreen = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (!link.client->established())
            return now + 1000;
          if (now >= nextScreen) {
            sendTo(*link.server, numbered(n, 15000), MessageClass::kDroppable, 1 + n % 4, n, now);
            sentAt[n++] = now;
            nextScreen = now + 16667;
          }
          if (getenv("RDK_CC_TRACE") && s % 25 == 0) {
            auto st = link.server->stats();
            std::printf("\n   t=%.1f srtt %.1f bw %.2f lost %llu wire %llu", now / 1e6,
                        st.srtt_us / 1e3, st.bandwidth_bps / 1e6,
                        (unsigned long long)st.retransmissions,
                        (unsigned long long)link.bottleneckDrops);
          }
          sendTo(*link.server, numbered(1000000 + s, 200), MessageClass::kDroppable, 0, s, now);
          sentAt[1000000 + s++] = now;
          return now + 20000;
        },
        1);
    // Screen updates go out on the 20 ms tick too (the hook's period): 50 Hz, 6 Mbit/s offered.
    link.runUntil(seconds * 1000000);
    std::vector<uint64_t> screen, small;
    uint64_t bytes = 0;
    size_t i = 0;
    for (auto& e : link.clientEvents) {
      if (e.kind != SessionEvent::Kind::kData)
        continue;
      const uint32_t idx = indexOf(e.data);
      const uint64_t at = link.receivedAt[i++], sent = sentAt[idx];
      if (sent < 5000000)
        continue;  // the second half of the run: after start-up
      bytes += e.data.size();
      (idx >= 1000000 ? small : screen).push_back(at - sent);
    }
    Result r;
    r.screenP50 = percentile(screen, 0.5);
    r.screenP90 = percentile(screen, 0.9);
    r.smallP50 = percentile(small, 0.5);
    r.smallP99 = percentile(small, 0.99);
    r.small = small.size();
    for (auto& [idx, at] : sentAt)
      r.smallSent += idx >= 1000000 && at >= 5000000 && at + 1000000 < seconds * 1000000;
    r.goodputBps = bytes * 8 / (seconds - 5);
    r.maxQueuedUs = link.maxQueuedUs;
    r.drops = link.bottleneckDrops;
    std::printf(
        "\n  cap %.1f Mbit/s: screen p50/p90 %.1f/%.1f ms (%zu), small p50/p99 %.1f/%.1f ms "
        "(%zu of %zu), goodput %.2f Mbit/s, queue max %.0f ms, drops %llu",
        capBps / 1e6, r.screenP50 / 1e3, r.screenP90 / 1e3, screen.size(), r.smallP50 / 1e3,
        r.smallP99 / 1e3, small.size(), r.smallSent, r.goodputBps / 1e6, link.maxQueuedUs / 1e3,
        (unsigned long long)link.bottleneckDrops);
    return r;
  }

  // Before issue 15's changes, at 5 Mbit/s: the queue stayed full (202 ms, 1962 tail drops),
  // 0.19 Mbit/s arrived (each update cancelled while being sent by the next one of its key) and
  // the small messages took p50/p99 114/222 ms behind the screen backlog. Now (seed 5): no drop,
  // queue at most 161 ms, 3.63 Mbit/s, small messages 42/133 ms.
  void testRateCapKeepsQueueShortAndSmallMessagesFast() {
    const Result slow = run(5000000, 20);
    CPPUNIT_ASSERT_MESSAGE("queue", slow.maxQueuedUs < 170000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("tail drops", uint64_t(0), slow.drops);
    CPPUNIT_ASSERT_MESSAGE("goodput", slow.goodputBps > 2500000);
    CPPUNIT_ASSERT_MESSAGE("small p50", slow.smallP50 < 80000);
    CPPUNIT_ASSERT_MESSAGE("small p99", slow.smallP99 < 180000);
    CPPUNIT_ASSERT_MESSAGE("small delivered", slow.small * 10 >= slow.smallSent * 9);
    // 20 Mbit/s carries all 6 Mbit/s offered with no standing queue.
    const Result fast = run(20000000, 20);
    CPPUNIT_ASSERT_MESSAGE("queue", fast.maxQueuedUs < 30000);
    CPPUNIT_ASSERT_MESSAGE("goodput", fast.goodputBps > 5500000);
    CPPUNIT_ASSERT_MESSAGE("small p99", fast.smallP99 < 40000);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CongestionTest);
