// Small reliable messages riding in datagrams that go out anyway (core/ride_along): the rules of
// the queue, and what they buy a client's 40-byte acks under loss runs in virtual time.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <map>
#include <memory>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"
#include "ride_along.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

namespace {

struct AckRun {
  uint64_t p50 = 0, p99 = 0, max = 0;
  size_t sent = 0, delivered = 0;
  bool inOrder = true;
  uint64_t clientWireBytes = 0;
  uint64_t rides = 0;
  uint64_t clientDatagrams = 0;
};

// The bench's mixed workload in small, seen from the client: the server sends a 15 kB screen
// update every 16.7 ms and the client answers each one it receives with a 40-byte reliable ack;
// 20 ms one way and the same loss both ways. Latency is measured at 1 ms granularity.
AckRun runAcks(bool rides, const ImpairmentConfig& loss, uint64_t seed,
               uint64_t* ridesAfterWarmUp = nullptr) {
  UdpOptions o;
  o.smallMessageRides = rides;
  SimulatedLink link(o, loss, loss, seed);
  std::map<uint32_t, uint64_t> sentAt;
  uint32_t screen = 0, acks = 0;
  uint64_t nextScreen = 0;
  size_t clientSeen = 0, serverSeen = 0;
  std::vector<uint64_t> latency;
  uint32_t expect = 0;
  bool inOrder = true;
  link.setHook(
      [&](uint64_t now) -> uint64_t {
        if (!link.client->established())
          return now + 1000;
        if (ridesAfterWarmUp && now >= 2000000 && *ridesAfterWarmUp == UINT64_MAX)
          *ridesAfterWarmUp = link.client->ridesSent();
        if (now >= nextScreen) {
          sendTo(*link.server, numbered(screen, 15000), MessageClass::kDroppable, 1 + screen % 4,
                 screen, now);
          ++screen;
          nextScreen = now + 16667;
        }
        for (; clientSeen < link.clientEvents.size(); ++clientSeen) {
          if (link.clientEvents[clientSeen].kind != SessionEvent::Kind::kData)
            continue;
          sendTo(*link.client, numbered(acks, 40), MessageClass::kReliable, 0, 0, now);
          sentAt[acks++] = now;
        }
        for (; serverSeen < link.serverEvents.size(); ++serverSeen) {
          const auto& e = link.serverEvents[serverSeen];
          if (e.kind != SessionEvent::Kind::kData)
            continue;
          const uint32_t idx = indexOf(e.data);
          inOrder = inOrder && idx == expect++;
          latency.push_back(now - sentAt[idx]);
        }
        return now + 1000;
      },
      1);
  link.runUntil(20000000);
  AckRun r;
  r.sent = acks;
  r.delivered = latency.size();
  r.inOrder = inOrder;
  r.p50 = percentile(latency, 0.5);
  r.p99 = percentile(latency, 0.99);
  r.max = percentile(latency, 1.0);
  const rdk_transport_stats cs = link.client->stats();
  r.clientWireBytes = cs.wire_bytes_sent;
  r.clientDatagrams = cs.datagrams_sent;
  r.rides = link.client->ridesSent();
  return r;
}

ImpairmentConfig bursts(double p, double r) {
  ImpairmentConfig c;
  c.delayUs = 20000;
  c.burstP = p;
  c.burstR = r;
  return c;
}

}  // namespace

class RideAlongTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RideAlongTest);
  CPPUNIT_TEST(testOnlyWholeSmallReliableMessagesRide);
  CPPUNIT_TEST(testRidesKeepAGapAndARoomAndEnd);
  CPPUNIT_TEST(testARiderWithoutADatagramGetsItsOwn);
  CPPUNIT_TEST(testOneRiderPerMessageAndABoundedQueue);
  CPPUNIT_TEST(testAcksUnderLossRunsArriveSoonerWithRides);
  CPPUNIT_TEST(testNoRidesOnACleanLink);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testOnlyWholeSmallReliableMessagesRide() {
    CPPUNIT_ASSERT(RideAlong::wants(wholeMessage(40)));
    CPPUNIT_ASSERT(RideAlong::wants(wholeMessage(RideAlong::kMaxMessageBytes)));
    CPPUNIT_ASSERT(!RideAlong::wants(wholeMessage(RideAlong::kMaxMessageBytes + 1)));
    Chunk part = wholeMessage(200);
    part.length = 100;  // a fragment of a message: its other half would not ride with it
    CPPUNIT_ASSERT(!RideAlong::wants(part));
    Chunk droppable = wholeMessage(40);
    droppable.msg->cls = MessageClass::kDroppable;
    CPPUNIT_ASSERT(!RideAlong::wants(droppable));
    CPPUNIT_ASSERT(!RideAlong::wants(Chunk{}));
  }

  void testRidesKeepAGapAndARoomAndEnd() {
    RideAlong q;
    const Chunk a = wholeMessage(40), b = wholeMessage(200);
    q.track(a, 1000, 40000);
    q.track(b, 1000, 40000);
    CPPUNIT_ASSERT(q.take(1500, 1400, 20).empty());  // the same burst as the first send
    auto got = q.take(2000, 1400, 20);
    CPPUNIT_ASSERT_EQUAL(size_t(2), got.size());
    CPPUNIT_ASSERT(got[0].msg == a.msg && got[0].resend && got[1].msg == b.msg);
    // The gaps double from 1 ms: the second ride keeps 2 ms from the first.
    CPPUNIT_ASSERT(q.take(3000, 1400, 20).empty());
    // A datagram with 100 bytes of room takes a (60 with its header), not b.
    got = q.take(4000, 100, 20);
    CPPUNIT_ASSERT_EQUAL(size_t(1), got.size());
    CPPUNIT_ASSERT(got[0].msg == a.msg);
    // A resend of a is queued: the resend carries it, a waits (and no datagram of its own).
    a.msg->pending.add(0, 40);
    got = q.take(30000, 1400, 20);
    CPPUNIT_ASSERT_EQUAL(size_t(1), got.size());
    CPPUNIT_ASSERT(got[0].msg == b.msg);
    CPPUNIT_ASSERT_EQUAL(uint64_t(30000 + 4000 + 10000), q.nextOwnDatagramUs());  // b's own
    a.msg->pending = RangeSet();
    // The per-datagram cap: five riders of 100 bytes are not all put in one datagram.
    RideAlong many;
    std::vector<Chunk> keep;
    for (int i = 0; i < 5; ++i) {
      keep.push_back(wholeMessage(100));
      many.track(keep.back(), 0, 40000);
    }
    CPPUNIT_ASSERT_EQUAL(RideAlong::kMaxBytesPerDatagram / 120, many.take(5000, 1400, 20).size());
    // b is acknowledged: only a rides on, kMaxRides times, the gaps growing to g (10 ms here).
    b.msg->finished = true;
    uint32_t rides = 2;  // a's two above
    std::vector<uint64_t> at;
    for (uint64_t t = 31000; t < 300000; t += 1000) {
      const size_t n = q.take(t, 1400, 20).size();
      rides += static_cast<uint32_t>(n);
      if (n)
        at.push_back(t);
    }
    CPPUNIT_ASSERT_EQUAL(RideAlong::kMaxRides, rides);
    CPPUNIT_ASSERT_EQUAL(size_t(0), q.tracked());
    CPPUNIT_ASSERT(at.size() >= 3);
    CPPUNIT_ASSERT_EQUAL(uint64_t(8000), at[1] - at[0]);   // the fourth ride: 8 ms
    CPPUNIT_ASSERT_EQUAL(uint64_t(10000), at[2] - at[1]);  // then g
  }

  void testARiderWithoutADatagramGetsItsOwn() {
    RideAlong q;
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, q.nextOwnDatagramUs());
    const Chunk a = wholeMessage(40);
    q.track(a, 1000, 40000);
    // g (a quarter of the round trip, 2-25 ms) after its next ride fell due and found no datagram.
    CPPUNIT_ASSERT_EQUAL(uint64_t(1000 + 1000 + 10000), q.nextOwnDatagramUs());
    CPPUNIT_ASSERT_EQUAL(size_t(1), q.take(5000, 1400, 20).size());  // it rode at 5 ms
    CPPUNIT_ASSERT_EQUAL(uint64_t(5000 + 2000 + 10000), q.nextOwnDatagramUs());
    // Not before it is overdue where no loss was measured.
    CPPUNIT_ASSERT_EQUAL(uint64_t(1000 + 80000 + 10000), q.nextOwnDatagramUs(80000));
    CPPUNIT_ASSERT_EQUAL(uint64_t(2000), RideAlong::gapUs(300));
    CPPUNIT_ASSERT_EQUAL(uint64_t(25000), RideAlong::gapUs(400000));
    a.msg->finished = true;
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, q.nextOwnDatagramUs());  // no wake-up for a finished one
  }

  void testOneRiderPerMessageAndABoundedQueue() {
    RideAlong q;
    const Chunk a = wholeMessage(40);
    q.track(a, 1000, 40000);
    q.track(a, 5000, 40000);  // resent: still one rider, on its first schedule
    CPPUNIT_ASSERT_EQUAL(size_t(1), q.tracked());
    CPPUNIT_ASSERT_EQUAL(uint64_t(12000), q.nextOwnDatagramUs());
    std::vector<Chunk> keep;
    for (size_t i = 0; i < RideAlong::kMaxTracked + 10; ++i) {
      keep.push_back(wholeMessage(40));
      q.track(keep.back(), 2000 + i, 40000);
    }
    CPPUNIT_ASSERT_EQUAL(RideAlong::kMaxTracked, q.tracked());
    // The oldest (a) went first.
    for (const Chunk& c : q.take(100000, 100000, 0))
      CPPUNIT_ASSERT(c.msg != a.msg);
  }

  void testAcksUnderLossRunsArriveSoonerWithRides() {
    uint64_t sumOn = 0, sumOff = 0;
    for (auto [p, rr] : {std::pair{0.01, 0.2}, std::pair{0.03, 0.3}}) {
      for (uint64_t seed : {3, 4, 5, 6, 7, 8}) {
        const AckRun off = runAcks(false, bursts(p, rr), seed);
        const AckRun on = runAcks(true, bursts(p, rr), seed);
        std::printf(
            "\n  ge%.2f:%.1f seed %llu ack p50/p99/max ms: without rides %.1f/%.1f/%.1f, with "
            "%.1f/%.1f/%.1f; client %.1f -> %.1f kB/s, rides %llu, acks %zu, dgrams %llu/%llu",
            p, rr, static_cast<unsigned long long>(seed), off.p50 / 1e3, off.p99 / 1e3,
            off.max / 1e3, on.p50 / 1e3, on.p99 / 1e3, on.max / 1e3, off.clientWireBytes / 20e3,
            on.clientWireBytes / 20e3, static_cast<unsigned long long>(on.rides), on.sent,
            (unsigned long long)off.clientDatagrams, (unsigned long long)on.clientDatagrams);
        for (const AckRun* r : {&off, &on}) {
          CPPUNIT_ASSERT(r->inOrder);
          CPPUNIT_ASSERT(r->sent > 1000);
          CPPUNIT_ASSERT(r->delivered + 5 >= r->sent);  // the last ones may still be on the way
        }
        const std::string msg = "p99 " + std::to_string(on.p99) + " vs " + std::to_string(off.p99);
        CPPUNIT_ASSERT_MESSAGE(msg, on.p99 < off.p99);
        sumOn += on.p99;
        sumOff += off.p99;
        // The price: the client's bytes (40-byte acks and ack frames) +75-90%, and no more
        // datagrams (more would walk through a per-datagram loss run sooner: not a repair).
        CPPUNIT_ASSERT(on.clientWireBytes < 2 * off.clientWireBytes);
        CPPUNIT_ASSERT(on.clientDatagrams < off.clientDatagrams * 21 / 20);
        CPPUNIT_ASSERT(on.rides > 0);
      }
    }
    // Over the 12 runs the rides take a quarter or more off the p99 (0.66 when written).
    CPPUNIT_ASSERT_MESSAGE(std::to_string(sumOn) + " vs " + std::to_string(sumOff),
                           4 * sumOn < 3 * sumOff);
  }

  void testNoRidesOnACleanLink() {
    // Without measured loss a ride would be spent on nothing: after the first round trips (which
    // assume 5% loss until 30 datagrams are known) no message rides.
    ImpairmentConfig clean;
    clean.delayUs = 20000;
    uint64_t warmUp = UINT64_MAX;
    const AckRun r = runAcks(true, clean, 9, &warmUp);
    CPPUNIT_ASSERT(r.sent > 1000);
    CPPUNIT_ASSERT(r.inOrder && r.delivered + 3 >= r.sent);  // the last may be on the way
    CPPUNIT_ASSERT(warmUp != UINT64_MAX);
    CPPUNIT_ASSERT_EQUAL(warmUp, r.rides);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RideAlongTest);
