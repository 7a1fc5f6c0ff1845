// The reliability core (rdk_udp_core) driven through a simulated link in virtual time.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"
#include "range_set.hpp"

using namespace rdk::udp;
using rdk::udp::test::SimulatedLink;
using namespace rdk::udp::test;

class UdpCoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(UdpCoreTest);
  CPPUNIT_TEST(testWireRoundTripAndGarbage);
  CPPUNIT_TEST(testRangeSet);
  CPPUNIT_TEST(testReliableExactlyOnceInOrderAt0_10_30Percent);
  CPPUNIT_TEST(testDroppableNotHeldBehindReliableResends);
  CPPUNIT_TEST(testSupersedeCancelsOlderAndReportsLost);
  CPPUNIT_TEST(testSendBufferBoundedAndAgain);
  CPPUNIT_TEST(testBlackoutOfFiveSecondsIsSurvived);
  CPPUNIT_TEST(testImpairmentBlackoutsRecur);
  CPPUNIT_TEST(testVanishedPeerIsDetected);
  CPPUNIT_TEST(testMtuShrinksOnTooBigWithoutDroppingSession);
  CPPUNIT_TEST(testControlDatagramsUnderFivePercent);
  CPPUNIT_TEST(testDropFirstHandshake);
  CPPUNIT_TEST(testRoamingOnlyWhenAllowedAndValidated);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testWireRoundTripAndGarbage() {
    std::vector<uint8_t> b;
    writeHeader(b, {DatagramType::kData, 0x1122334455667788ull, 99});
    AckFrame a;
    a.ackDelayUs = 1234;
    a.ranges = {{90, 99}, {50, 80}, {10, 10}};
    writeAck(b, a);
    const uint8_t payload[5] = {1, 2, 3, 4, 5};
    writeFragment(b, MessageClass::kDroppable, 7, 100, 20, payload, 5);
    auto h = parseHeader(b.data(), b.size());
    CPPUNIT_ASSERT(h);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0x1122334455667788ull), h->connId);
    CPPUNIT_ASSERT_EQUAL(uint64_t(99), h->pn);
    auto f = parseFrames(b.data() + kHeaderSize, b.size() - kHeaderSize);
    CPPUNIT_ASSERT(f && f->ack && f->fragments.size() == 1);
    CPPUNIT_ASSERT_EQUAL(size_t(3), f->ack->ranges.size());
    for (size_t i = 0; i < 3; ++i) {
      CPPUNIT_ASSERT_EQUAL(a.ranges[i].low, f->ack->ranges[i].low);
      CPPUNIT_ASSERT_EQUAL(a.ranges[i].high, f->ack->ranges[i].high);
    }
    CPPUNIT_ASSERT_EQUAL(uint32_t(20), f->fragments[0].offset);
    CPPUNIT_ASSERT_EQUAL(0, std::memcmp(payload, f->fragments[0].data, 5));
    // Every truncation and random bytes: rejected or parsed, never a crash or overrun.
    for (size_t n = 0; n < b.size(); ++n)
      parseFrames(b.data() + kHeaderSize, n > kHeaderSize ? n - kHeaderSize : 0);
    std::mt19937 rng(5);
    UdpOptions o;
    Session s(1, false, o, rdk::udp::test::v4(1), 1, 1);
    for (int i = 0; i < 20000; ++i) {
      std::vector<uint8_t> g(rng() % 1500);
      for (auto& x : g)
        x = static_cast<uint8_t>(rng());
      if (g.size() > 3 && i % 2) {
        g[0] = kMagic, g[1] = kVersion, g[2] = 4;
      }
      parseFrames(g.data(), g.size());
      auto gh = parseHeader(g.data(), g.size());
      if (gh)
        s.onDatagram(*gh, g.data() + kHeaderSize, g.size() - kHeaderSize, rdk::udp::test::v4(1), 2);
    }
    CPPUNIT_ASSERT(s.stats().send_queue_bytes == 0);
  }

  void testRangeSet() {
    RangeSet r;
    r.add(10, 20);
    r.add(30, 40);
    r.add(15, 32);
    CPPUNIT_ASSERT_EQUAL(size_t(1), r.intervals());
    CPPUNIT_ASSERT(r.contains(10, 40));
    r.remove(12, 14);
    CPPUNIT_ASSERT(!r.contains(10, 40));
    CPPUNIT_ASSERT_EQUAL(uint64_t(28), r.covered());
  }

  void runReliable(double lossPct) {
    UdpOptions o;
    o.idleTimeoutUs = 30000000;
    SimulatedLink link(o, lossy(lossPct), lossy(lossPct), 100 + static_cast<uint64_t>(lossPct));
    std::mt19937 rng(3);
    constexpr uint32_t kMessages = 300;
    uint32_t sent = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (sent < kMessages && link.client->established()) {
            auto r = sendTo(*link.server, numbered(sent, 10 + rng() % 20000),
                            MessageClass::kReliable, 0, sent, now);
            if (r == SendResult::kOk)
              ++sent;
          }
          return now + 5000;
        },
        1);
    link.runUntil(30000000);
    auto got = link.data(link.clientEvents);
    CPPUNIT_ASSERT_EQUAL(size_t(kMessages), got.size());
    for (uint32_t i = 0; i < kMessages; ++i)
      CPPUNIT_ASSERT_EQUAL(i, indexOf(got[i]));
    if (lossPct > 0)
      CPPUNIT_ASSERT(link.server->stats().retransmissions > 0);
  }
  void testReliableExactlyOnceInOrderAt0_10_30Percent() {
    runReliable(0);
    runReliable(10);
    runReliable(30);
  }

  void testDroppableNotHeldBehindReliableResends() {
    // 10% loss, 10 ms each way: reliable bulk keeps being resent while 60 Hz droppable updates
    // flow; the updates that arrive must arrive fast (no head-of-line blocking).
    UdpOptions o;
    SimulatedLink link(o, lossy(10), lossy(10), 7);
    std::map<uint64_t, uint64_t> sentAt;
    uint32_t n = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (!link.client->established())
            return now + 1000;
          sendTo(*link.server, numbered(n, 8000), MessageClass::kDroppable, 1 + n % 4, n, now);
          sentAt[n] = now;
          sendTo(*link.server, numbered(1000000 + n, 20000), MessageClass::kReliable, 0, 0, now);
          ++n;
          return now + 16667;
        },
        1);
    link.runUntil(8000000);
    std::vector<uint64_t> latency;
    size_t i = 0;
    for (auto& e : link.clientEvents) {
      if (e.kind != SessionEvent::Kind::kData)
        continue;
      const uint32_t idx = indexOf(e.data);
      if (idx < 1000000)
        latency.push_back(link.receivedAt[i] - sentAt[idx]);
      ++i;
    }
    CPPUNIT_ASSERT(latency.size() > n / 2);
    const uint64_t p50 = percentile(latency, 0.5), p99 = percentile(latency, 0.99);
    // One-way 10-12 ms; resends take about one RTT more. Reliable resends must not add to it.
    CPPUNIT_ASSERT_MESSAGE("p50 " + std::to_string(p50), p50 < 30000);
    CPPUNIT_ASSERT_MESSAGE("p99 " + std::to_string(p99), p99 < 200000);
    // The late half is no slower than the early half (latency does not grow).
    std::vector<uint64_t> early(latency.begin(), latency.begin() + latency.size() / 2);
    std::vector<uint64_t> late(latency.begin() + latency.size() / 2, latency.end());
    CPPUNIT_ASSERT(percentile(late, 0.9) < percentile(early, 0.9) + 30000);
  }

  void testSupersedeCancelsOlderAndReportsLost() {
    UdpOptions o;
    ImpairmentConfig slow;
    slow.delayUs = 20000;
    SimulatedLink link(o, slow, slow, 9);
    link.runUntil(100000);
    CPPUNIT_ASSERT(link.client->established());
    // A big update, and at once a newer one for the same area: the older is cancelled.
    sendTo(*link.server, numbered(1, 200000), MessageClass::kDroppable, 42, 101, link.now);
    sendTo(*link.server, numbered(2, 3000), MessageClass::kDroppable, 42, 102, link.now);
    link.runUntil(2000000);
    bool lostOld = false;
    for (auto& e : link.serverEvents) {
      if (e.kind == SessionEvent::Kind::kLost && e.packetId == 101 && e.superseded)
        lostOld = true;
      CPPUNIT_ASSERT(!(e.kind == SessionEvent::Kind::kLost && e.packetId == 102));
    }
    CPPUNIT_ASSERT(lostOld);
    auto got = link.data(link.clientEvents);
    CPPUNIT_ASSERT(!got.empty());
    CPPUNIT_ASSERT_EQUAL(uint32_t(2), indexOf(got.back()));
    CPPUNIT_ASSERT_EQUAL(uint64_t(1), link.server->stats().dropped_superseded);
    // A droppable whose fragments keep getting lost is given up and reported (not superseded).
    ImpairmentConfig dead;
    dead.lossPct = 100;
    SimulatedLink gone(o, {}, {}, 11);
    gone.runUntil(100000);
    gone.toClient_ = Impairment(dead, 1);
    sendTo(*gone.server, numbered(3, 5000), MessageClass::kDroppable, 0, 103, gone.now);
    gone.runUntil(3000000);
    bool lost = false;
    for (auto& e : gone.serverEvents) {
      if (e.kind == SessionEvent::Kind::kLost && e.packetId == 103 && !e.superseded)
        lost = true;
    }
    CPPUNIT_ASSERT(lost);
  }

  void testSendBufferBoundedAndAgain() {
    UdpOptions o;
    o.sendBufferBytes = 1 << 20;
    ImpairmentConfig dead;
    dead.lossPct = 100;
    SimulatedLink link(o, {}, {}, 13);
    link.runUntil(100000);
    link.toClient_ = Impairment(dead, 1);
    int accepted = 0;
    SendResult r = SendResult::kOk;
    for (int i = 0; i < 1000 && r == SendResult::kOk; ++i) {
      r = sendTo(*link.server, numbered(i, 50000), MessageClass::kReliable, 0, i, link.now);
      if (r == SendResult::kOk)
        ++accepted;
      link.runUntil(link.now + 1000);
    }
    CPPUNIT_ASSERT(r == SendResult::kAgain);
    CPPUNIT_ASSERT(link.server->stats().send_queue_bytes <= (1u << 20) + 50000);
    CPPUNIT_ASSERT(accepted < 30);
  }

  void testBlackoutOfFiveSecondsIsSurvived() {
    UdpOptions o;
    SimulatedLink link(o, lossy(0), lossy(0), 17);
    link.blackout = true;
    link.blackoutFrom = 2000000;
    link.blackoutTo = 7000000;
    uint32_t sent = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (link.client->established() && sent < 600) {
            sendTo(*link.server, numbered(sent++, 2000), MessageClass::kReliable, 0, 0, now);
          }
          return now + 16000;
        },
        1);
    link.runUntil(14000000);
    auto got = link.data(link.clientEvents);
    CPPUNIT_ASSERT_EQUAL(size_t(sent), got.size());
    for (uint32_t i = 0; i < got.size(); ++i)
      CPPUNIT_ASSERT_EQUAL(i, indexOf(got[i]));
    for (auto& e : link.clientEvents)
      CPPUNIT_ASSERT(e.kind != SessionEvent::Kind::kClosed);
    for (auto& e : link.serverEvents)
      CPPUNIT_ASSERT(e.kind != SessionEvent::Kind::kClosed);
  }

  void testImpairmentBlackoutsRecur() {
    // Every 1 s from the first datagram, the last 300 ms drop everything (loss otherwise off).
    ImpairmentConfig c;
    c.blackoutEveryUs = 1'000'000;
    c.blackoutUs = 300'000;
    CPPUNIT_ASSERT(c.active());
    Impairment impair(c, 5);
    const uint64_t start = 50'000'000;
    size_t kept = 0;
    for (uint64_t t = 0; t < 3'000'000; t += 10'000) {
      const bool dropped = impair.decide(start + t).empty();
      const bool dark = t % 1'000'000 >= 700'000;
      CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(t), dark, dropped);
      kept += dropped ? 0 : 1;
    }
    CPPUNIT_ASSERT_EQUAL(size_t{210}, kept);
    CPPUNIT_ASSERT_EQUAL(uint64_t{90}, impair.blackedOut());
    CPPUNIT_ASSERT_EQUAL(uint64_t{90}, impair.dropped());
    // The options: both or neither, and a blackout shorter than its period.
    UdpOptions o = parseUdpOptions("{\"blackout_every_s\":600,\"blackout_ms\":5000}");
    CPPUNIT_ASSERT_EQUAL(uint64_t{600'000'000}, o.receiveImpairment.blackoutEveryUs);
    CPPUNIT_ASSERT_EQUAL(uint64_t{5'000'000}, o.receiveImpairment.blackoutUs);
    CPPUNIT_ASSERT(!parseUdpOptions("{}").receiveImpairment.active());
    CPPUNIT_ASSERT_THROW(parseUdpOptions("{\"blackout_every_s\":1,\"blackout_ms\":1000}"),
                         std::invalid_argument);
  }

  void testVanishedPeerIsDetected() {
    UdpOptions o;
    o.idleTimeoutUs = 2000000;
    SimulatedLink link(o, {}, {}, 19);
    link.runUntil(500000);
    link.blackout = true;
    link.blackoutFrom = 0;
    link.blackoutTo = UINT64_MAX;
    sendTo(*link.server, numbered(1, 100), MessageClass::kReliable, 0, 1, link.now);
    link.runUntil(4000000);
    bool closed = false;
    for (auto& e : link.serverEvents) {
      if (e.kind == SessionEvent::Kind::kClosed) {
        closed = true;
        CPPUNIT_ASSERT_EQUAL(RDK_E_TIMEOUT, e.status);
        CPPUNIT_ASSERT(e.reason.find("stopped answering for 2 s") != std::string::npos);
      }
    }
    CPPUNIT_ASSERT(closed);
    CPPUNIT_ASSERT(link.server->closed());
  }

  void testMtuShrinksOnTooBigWithoutDroppingSession() {
    UdpOptions o;
    o.mtu = 1400;
    o.probeMtu = false;
    SimulatedLink link(o, lossy(0), lossy(0), 23);
    link.maxDatagram = 1000;  // the path refuses bigger datagrams (EMSGSIZE)
    link.runUntil(100000);
    for (uint32_t i = 0; i < 20; ++i) {
      sendTo(*link.server, numbered(i, 30000), MessageClass::kReliable, 0, i, link.now);
    }
    link.runUntil(3000000);
    auto got = link.data(link.clientEvents);
    CPPUNIT_ASSERT_EQUAL(size_t(20), got.size());
    CPPUNIT_ASSERT(link.server->mtu() <= 1000);
    CPPUNIT_ASSERT(link.server->mtu() >= 576);
  }

  void testControlDatagramsUnderFivePercent() {
    // Steady state as a session runs it: 60 Hz screen updates of 1-30 kB one way, a small
    // reliable acknowledgement (damage-sequence) back for each.
    UdpOptions o;
    ImpairmentConfig path;
    path.delayUs = 10000;
    SimulatedLink link(o, path, path, 29);
    std::mt19937 rng(1);
    uint32_t n = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (!link.client->established())
            return now + 1000;
          sendTo(*link.server, numbered(n, 1000 + rng() % 29000), MessageClass::kDroppable,
                 1 + n % 8, n, now);
          sendTo(*link.client, numbered(n, 40), MessageClass::kReliable, 0, n, now);
          ++n;
          return now + 16667;
        },
        1);
    link.runUntil(10000000);
    const auto s = link.server->stats(), c = link.client->stats();
    const double share = double(s.control_datagrams_sent + c.control_datagrams_sent) /
                         double(s.datagrams_sent + c.datagrams_sent);
    CPPUNIT_ASSERT_MESSAGE("control share " + std::to_string(share), share < 0.05);
    CPPUNIT_ASSERT(s.srtt_us > 19000 && s.srtt_us < 60000);
  }

  void testDropFirstHandshake() {
    // The first datagrams (the client's INITIAL, then more) vanish: the handshake retries.
    UdpOptions o;
    ImpairmentConfig first;
    first.dropFirst = 3;
    SimulatedLink link(o, first, first, 31);
    sendTo(*link.client, numbered(5, 3000), MessageClass::kReliable, 0, 5, 1);
    link.runUntil(3000000);
    CPPUNIT_ASSERT(link.client->established());
    auto got = link.data(link.serverEvents);
    CPPUNIT_ASSERT_EQUAL(size_t(1), got.size());
    CPPUNIT_ASSERT_EQUAL(uint32_t(5), indexOf(got[0]));
  }

  void runRoaming(bool allow, bool expectMoved) {
    UdpOptions o;
    o.allowRoaming = allow;
    o.idleTimeoutUs = 5000000;
    SimulatedLink link(o, {}, {}, 37);
    uint32_t n = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (link.client->established()) {
            sendTo(*link.client, numbered(n, 500), MessageClass::kReliable, 0, n, now);
            sendTo(*link.server, numbered(n, 500), MessageClass::kReliable, 0, n, now);
            ++n;
          }
          return now + 20000;
        },
        1);
    link.runUntil(1500000);                      // data both ways for more than a second
    link.clientFrom = rdk::udp::test::v4(3333);  // NAT rebinding: a new source port
    link.runUntil(2500000);
    const bool moved = link.server->peer() == rdk::udp::test::v4(3333);
    CPPUNIT_ASSERT_EQUAL(expectMoved, moved);
    const size_t clientGot = link.data(link.clientEvents).size();
    if (expectMoved) {
      CPPUNIT_ASSERT(clientGot > 100);  // traffic continued after the move
    }
  }
  void testRoamingOnlyWhenAllowedAndValidated() {
    runRoaming(true, true);
    runRoaming(false, false);  // plain UDP default: bound to its address
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UdpCoreTest);
