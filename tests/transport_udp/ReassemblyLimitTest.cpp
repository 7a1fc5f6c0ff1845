// Reassembly memory of the reliability core (issue 21 item 1): fragments that claim large messages
// cost what they carry, claims above what a connection may hold are refused at their first
// fragment, a new connection may hold only its first message, and the endpoint's shared budget
// bounds all connections together. Driven through the simulated link and hand-made datagrams.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"
#include "receive_budget.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

namespace {

constexpr uint32_t k16MiB = 16u << 20;

struct Frag {
  MessageClass cls;
  uint64_t seq;
  uint32_t total;
  uint32_t offset;
  std::vector<uint8_t> data;
};

/// A DATA datagram of connection 7 (the simulated link's) carrying |frags|.
std::vector<uint8_t> datagram(uint64_t pn, const std::vector<Frag>& frags) {
  std::vector<uint8_t> b;
  writeHeader(b, {DatagramType::kData, 7, pn});
  for (const auto& f : frags) {
    writeFragment(b, f.cls, f.seq, f.total, f.offset, f.data.data(),
                  static_cast<uint16_t>(f.data.size()));
  }
  return b;
}

void deliver(Session& s, const std::vector<uint8_t>& d, const PeerAddress& from, uint64_t now) {
  auto h = parseHeader(d.data(), d.size());
  CPPUNIT_ASSERT(h);
  s.onDatagram(*h, d.data() + kHeaderSize, d.size() - kHeaderSize, from, now);
}

/// |n| one-byte fragments of |n| messages (ids from |firstSeq|), each claiming |claim| bytes: the
/// attack of issue 21 (103 bytes for 4 fragments, 4,219 bytes for 200).
std::vector<uint8_t> claims(size_t n, MessageClass cls, uint64_t firstSeq, uint32_t claim,
                            uint64_t pn) {
  std::vector<Frag> frags;
  for (size_t i = 0; i < n; ++i)
    frags.push_back({cls, firstSeq + i, claim, 0, {uint8_t('x')}});
  return datagram(pn, frags);
}

bool closedWith(const std::vector<SessionEvent>& events, const std::string& text) {
  for (const auto& e : events) {
    if (e.kind == SessionEvent::Kind::kClosed && e.reason.find(text) != std::string::npos)
      return true;
  }
  return false;
}

/// A link whose server trusts its client: the client's hello was delivered and the server
/// answered with a reply larger than Session::kTrustReplyBytes (as a server hello is).
void exchangeHellos(SimulatedLink& link, size_t helloBytes = 20000) {
  link.runUntil(100000);
  CPPUNIT_ASSERT(link.client->established());
  CPPUNIT_ASSERT_EQUAL(SendResult::kOk, sendTo(*link.client, numbered(0, helloBytes),
                                               MessageClass::kReliable, 0, 0, link.now));
  link.runUntil(link.now + 500000);
  CPPUNIT_ASSERT_EQUAL(size_t(1), link.data(link.serverEvents).size());
  CPPUNIT_ASSERT(!link.server->trusted());
  CPPUNIT_ASSERT_EQUAL(SendResult::kOk, sendTo(*link.server, numbered(1, 6000),
                                               MessageClass::kReliable, 0, 1, link.now));
  CPPUNIT_ASSERT(link.server->trusted());
  link.runUntil(link.now + 500000);
  CPPUNIT_ASSERT_EQUAL(size_t(1), link.data(link.clientEvents).size());
}

}  // namespace

class ReassemblyLimitTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReassemblyLimitTest);
  CPPUNIT_TEST(testClaimsOf16MiBCostWhatArrivedBeforeTrust);
  CPPUNIT_TEST(testClaimsOf16MiBCostWhatArrivedWhenTrusted);
  CPPUNIT_TEST(testClaimAboveTheLimitsRefusedAtFirstFragment);
  CPPUNIT_TEST(testHelloUnderLossThenTrustAfterReply);
  CPPUNIT_TEST(testTrustAfterPixelsOrNinetySeconds);
  CPPUNIT_TEST(testHeadIsNeverStarvedByLaterMessages);
  CPPUNIT_TEST(testUntrustedShareBoundsAllConnections);
  CPPUNIT_TEST(testTotalBoundsTrustedConnections);
  CPPUNIT_TEST(testAccountingStaysExactUnderRandomDatagrams);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testClaimsOf16MiBCostWhatArrivedBeforeTrust() {
    for (size_t n : {4, 24, 200}) {
      for (MessageClass cls : {MessageClass::kReliable, MessageClass::kDroppable}) {
        const std::string what = std::to_string(n) +
                                 (cls == MessageClass::kReliable ? " reliable" : " droppable") +
                                 " claims of 16 MiB";
        UdpOptions o;
        SimulatedLink link(o, {}, {}, 50 + n);
        link.runUntil(100000);
        const auto d = claims(n, cls, 0, k16MiB, 1000);
        CPPUNIT_ASSERT_EQUAL(size_t(19 + 21 * n), d.size());  // 103, 523 and 4,219 bytes
        deliver(*link.server, d, link.clientFrom, link.now);
        CPPUNIT_ASSERT_MESSAGE(what, link.server->reassemblyBytes() < 4096);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, uint64_t(1), link.server->refusedClaims());
        std::vector<SessionEvent> events;
        link.server->takeEvents(events);
        // A first message that can never fit ends a new connection with the reason; a droppable
        // claim is only dropped.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, cls == MessageClass::kReliable,
                                     closedWith(events, "262144-byte receive budget"));
      }
    }
  }

  void testClaimsOf16MiBCostWhatArrivedWhenTrusted() {
    for (size_t n : {4, 24, 200}) {
      for (MessageClass cls : {MessageClass::kReliable, MessageClass::kDroppable}) {
        const std::string what = std::to_string(n) +
                                 (cls == MessageClass::kReliable ? " reliable" : " droppable") +
                                 " claims of 16 MiB";
        UdpOptions o;
        SimulatedLink link(o, {}, {}, 60 + n);
        exchangeHellos(link);
        // Ids from 1 (reliable: 0 was the hello), so one is the head and the rest wait behind it.
        deliver(*link.server, claims(n, cls, 1, k16MiB, 1000), link.clientFrom, link.now);
        const size_t held = link.server->reassemblyBytes();
        // Each costs its entry, a 1 KiB buffer and one range: ~1.2 kB, not 16 MiB.
        CPPUNIT_ASSERT_MESSAGE(what + ": " + std::to_string(held), held > 0);
        CPPUNIT_ASSERT_MESSAGE(what + ": " + std::to_string(held), held <= n * 1300);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, uint64_t(0), link.server->refusedClaims());
        // The same again, ten times over: still what arrived.
        for (uint64_t i = 0; i < 10; ++i) {
          deliver(*link.server, claims(n, cls, 1 + n * (i + 1), k16MiB, 2000 + i), link.clientFrom,
                  link.now);
        }
        CPPUNIT_ASSERT_MESSAGE(what, link.server->reassemblyBytes() <= 11 * n * 1300);
        CPPUNIT_ASSERT(!link.server->closed());
      }
    }
  }

  void testClaimAboveTheLimitsRefusedAtFirstFragment() {
    UdpOptions o;
    {
      // Above the protocol limit (16 MiB): not even parsed, whatever the trust.
      SimulatedLink link(o, {}, {}, 71);
      exchangeHellos(link);
      deliver(*link.server, claims(1, MessageClass::kReliable, 1, k16MiB + 1, 1000),
              link.clientFrom, link.now);
      deliver(*link.server, claims(1, MessageClass::kDroppable, 5, k16MiB + 1, 1001),
              link.clientFrom, link.now);
      CPPUNIT_ASSERT_EQUAL(size_t(0), link.server->reassemblyBytes());
      CPPUNIT_ASSERT(!link.server->closed());
    }
    {
      // Before trust: a first message above the 256 KiB budget ends the connection with a reason
      // (it could never complete); later or droppable ones are dropped and counted.
      SimulatedLink link(o, {}, {}, 72);
      link.runUntil(100000);
      deliver(*link.server, claims(1, MessageClass::kReliable, 1, 300000, 1000), link.clientFrom,
              link.now);
      deliver(*link.server, claims(1, MessageClass::kDroppable, 0, 300000, 1001), link.clientFrom,
              link.now);
      CPPUNIT_ASSERT_EQUAL(uint64_t(2), link.server->refusedClaims());
      CPPUNIT_ASSERT_EQUAL(size_t(0), link.server->reassemblyBytes());
      std::vector<SessionEvent> events;
      link.server->takeEvents(events);
      CPPUNIT_ASSERT(events.empty());
      deliver(*link.server, claims(1, MessageClass::kReliable, 0, 300000, 1002), link.clientFrom,
              link.now);
      link.server->takeEvents(events);
      CPPUNIT_ASSERT(closedWith(
          events, "first message of 300000 bytes exceeds the 262144-byte receive budget"));
      // The client is told why.
      link.runUntil(link.now + 200000);
      CPPUNIT_ASSERT(closedWith(link.clientEvents, "262144-byte receive budget"));
    }
    {
      // A first message that fits is taken.
      SimulatedLink link(o, {}, {}, 73);
      link.runUntil(100000);
      deliver(*link.server, claims(1, MessageClass::kReliable, 0, 200000, 1000), link.clientFrom,
              link.now);
      CPPUNIT_ASSERT_EQUAL(uint64_t(0), link.server->refusedClaims());
      CPPUNIT_ASSERT(link.server->reassemblyBytes() > 0);
    }
  }

  void testHelloUnderLossThenTrustAfterReply() {
    // A 30 kB hello and two small packets right behind it (sharing datagrams with its tail), at
    // 30% loss: the new connection reassembles one message at a time, and everything arrives.
    UdpOptions o;
    o.idleTimeoutUs = 30000000;
    SimulatedLink link(o, lossy(30), lossy(30), 74);
    link.runUntil(100000);
    CPPUNIT_ASSERT(link.client->established());
    for (uint32_t i = 0; i < 3; ++i) {
      CPPUNIT_ASSERT_EQUAL(SendResult::kOk, sendTo(*link.client, numbered(i, i ? 300 : 30000),
                                                   MessageClass::kReliable, 0, i, link.now));
    }
    link.runUntil(link.now + 10000000);
    auto got = link.data(link.serverEvents);
    CPPUNIT_ASSERT_EQUAL(size_t(3), got.size());
    for (uint32_t i = 0; i < 3; ++i)
      CPPUNIT_ASSERT_EQUAL(i, indexOf(got[i]));
    // Challenge-, ping- and disconnect-sized answers do not make the peer trusted; a hello-sized
    // one (a server hello is 0.7-0.9 kB) does.
    CPPUNIT_ASSERT(!link.server->trusted());
    sendTo(*link.server, numbered(9, 120), MessageClass::kReliable, 0, 9, link.now);
    for (uint32_t i = 0; i < 20; ++i)
      sendTo(*link.server, numbered(10 + i, 42), MessageClass::kReliable, 0, 10 + i, link.now);
    sendTo(*link.server, numbered(30, 400), MessageClass::kReliable, 0, 30, link.now);
    CPPUNIT_ASSERT(!link.server->trusted());
    sendTo(*link.server, numbered(31, 736), MessageClass::kReliable, 0, 31, link.now);
    CPPUNIT_ASSERT(link.server->trusted());
    // Then the full buffer: 200 packets of up to 20 kB, in order at 30% loss.
    uint32_t sent = 3;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (sent < 203 && sendTo(*link.client, numbered(sent, 10 + (sent * 7919) % 20000),
                                   MessageClass::kReliable, 0, sent, now) == SendResult::kOk) {
            ++sent;
          }
          return now + 5000;
        },
        link.now);
    link.runUntil(link.now + 30000000);
    got = link.data(link.serverEvents);
    CPPUNIT_ASSERT_EQUAL(size_t(203), got.size());
    for (uint32_t i = 0; i < 203; ++i)
      CPPUNIT_ASSERT_EQUAL(i, indexOf(got[i]));
  }

  void testTrustAfterPixelsOrNinetySeconds() {
    UdpOptions o;
    {
      // Nothing sent before the peer's first message counts; pixels after it do.
      SimulatedLink link(o, {}, {}, 76);
      link.runUntil(100000);
      sendTo(*link.server, numbered(0, 5000), MessageClass::kDroppable, 1, 0, link.now);
      CPPUNIT_ASSERT(!link.server->trusted());
      sendTo(*link.client, numbered(0, 1000), MessageClass::kReliable, 0, 0, link.now);
      link.runUntil(link.now + 200000);
      CPPUNIT_ASSERT(!link.server->trusted());
      sendTo(*link.server, numbered(1, 100), MessageClass::kDroppable, 1, 1, link.now);
      CPPUNIT_ASSERT(link.server->trusted());
    }
    {
      // A peer that delivered a message and is still there after the kernel's authentication
      // timeout has passed it.
      SimulatedLink link(o, {}, {}, 77);
      link.runUntil(100000);
      sendTo(*link.client, numbered(0, 1000), MessageClass::kReliable, 0, 0, link.now);
      link.runUntil(Session::kTrustAfterUs - 1000000);
      CPPUNIT_ASSERT(!link.server->closed());
      CPPUNIT_ASSERT(!link.server->trusted());
      link.runUntil(Session::kTrustAfterUs + 2000000);
      CPPUNIT_ASSERT(link.server->trusted());
    }
  }

  void testHeadIsNeverStarvedByLaterMessages() {
    // A trusted connection holding out-of-order messages up to its limit still takes the message
    // they wait for: room for one whole message is always kept for it.
    UdpOptions o;
    o.receiveBufferBytes = 40u << 20;
    SimulatedLink link(o, {}, {}, 75);
    exchangeHellos(link);
    const uint32_t size = 1u << 20;
    std::vector<uint8_t> bytes(1000, 7);
    uint64_t pn = 1000;
    // Messages 2..40 of 1 MiB, all but their last 1000 bytes; then message 1 whole.
    for (uint64_t seq = 2; seq <= 40; ++seq) {
      for (uint32_t off = 0; off + 1000 < size; off += 1000)
        deliver(*link.server, datagram(pn++, {{MessageClass::kReliable, seq, size, off, bytes}}),
                link.clientFrom, link.now);
    }
    const size_t held = link.server->reassemblyBytes();
    CPPUNIT_ASSERT(link.server->refusedDatagrams() > 0);  // the limit was reached
    CPPUNIT_ASSERT(held <= (40u << 20) - Reassembler::kMaxMessageCost);
    for (uint32_t off = 0; off < size; off += 1000) {
      std::vector<uint8_t> part(std::min<uint32_t>(1000, size - off), 1);
      deliver(*link.server, datagram(pn++, {{MessageClass::kReliable, 1, size, off, part}}),
              link.clientFrom, link.now);
    }
    std::vector<SessionEvent> events;
    link.server->takeEvents(events);
    CPPUNIT_ASSERT_EQUAL(size_t(1), events.size());
    CPPUNIT_ASSERT_EQUAL(size_t(size), events[0].data.size());
  }

  void testUntrustedShareBoundsAllConnections() {
    // 16 new connections sending real bytes of 200 kB first messages into one endpoint whose
    // untrusted share is 1 MiB: together they never hold more, each holds what it may.
    auto budget = std::make_shared<ReceiveBudget>(32u << 20, 1u << 20);
    UdpOptions o;
    std::vector<std::shared_ptr<Session>> sessions;
    for (uint64_t i = 0; i < 16; ++i)
      sessions.push_back(std::make_shared<Session>(7, false, o, v4(1000 + i), 1, i, budget));
    std::vector<uint8_t> bytes(1000, 3);
    for (uint64_t i = 0; i < sessions.size(); ++i) {
      for (uint32_t off = 0; off < 190000; off += 1000) {
        deliver(*sessions[i],
                datagram(off / 1000 + 1, {{MessageClass::kReliable, 0, 200000, off, bytes}}),
                v4(1000 + i), 2);
        CPPUNIT_ASSERT(budget->untrustedHeld() <= (1u << 20));
      }
    }
    size_t sum = 0, full = 0;
    uint64_t refused = 0;
    for (auto& s : sessions) {
      sum += s->reassemblyBytes();
      full += s->reassemblyBytes() >= 190000 ? 1 : 0;
      refused += s->refusedDatagrams();
      CPPUNIT_ASSERT(s->reassemblyBytes() <= o.receiveBufferUntrustedBytes);
    }
    CPPUNIT_ASSERT_EQUAL(budget->held(), sum);
    CPPUNIT_ASSERT(sum <= (1u << 20));
    CPPUNIT_ASSERT(full >= 4);  // 1 MiB holds several whole hellos
    CPPUNIT_ASSERT(refused > 0);
    CPPUNIT_ASSERT(budget->refusals() > 0);
    sessions.clear();
    CPPUNIT_ASSERT_EQUAL(size_t(0), budget->held());
    CPPUNIT_ASSERT_EQUAL(size_t(0), budget->untrustedHeld());
  }

  void testTotalBoundsTrustedConnections() {
    // Trusted connections (client sessions trust their server) filling a 4 MiB endpoint total
    // with partial droppables: never above it. Heads of reliable streams may exceed it by at
    // most one message each, so that no connection waits for the others forever.
    auto budget = std::make_shared<ReceiveBudget>(4u << 20, 1u << 20);
    UdpOptions o;
    std::vector<std::shared_ptr<Session>> sessions;
    for (uint64_t i = 0; i < 8; ++i)
      sessions.push_back(std::make_shared<Session>(7, true, o, v4(2000 + i), 1, i, budget));
    std::vector<uint8_t> bytes(1000, 4);
    uint64_t pn = 1;
    for (uint64_t seq = 0; seq < 4; ++seq) {
      for (uint32_t off = 0; off < 900000; off += 1000, ++pn) {
        for (uint64_t i = 0; i < sessions.size(); ++i) {
          deliver(*sessions[i],
                  datagram(pn, {{MessageClass::kDroppable, seq, 1000000, off, bytes}}),
                  v4(2000 + i), 2);
        }
        CPPUNIT_ASSERT(budget->held() <= (4u << 20));
      }
    }
    CPPUNIT_ASSERT(budget->refusals() > 0);
    // Reliable heads: 1 MiB messages, one per connection, all but their last fragment.
    for (uint32_t off = 0; off + 1000 < 1000000; off += 1000, ++pn) {
      for (uint64_t i = 0; i < sessions.size(); ++i) {
        deliver(*sessions[i], datagram(pn, {{MessageClass::kReliable, 0, 1000000, off, bytes}}),
                v4(2000 + i), 2);
      }
    }
    CPPUNIT_ASSERT(budget->held() <= (4u << 20) + sessions.size() * 1100000);
    size_t sum = 0;
    for (auto& s : sessions) {
      CPPUNIT_ASSERT(s->reassemblyBytes() >= 999000);  // every head is there
      sum += s->reassemblyBytes();
    }
    CPPUNIT_ASSERT_EQUAL(budget->held(), sum);
    sessions.clear();
    CPPUNIT_ASSERT_EQUAL(size_t(0), budget->held());
  }

  void testAccountingStaysExactUnderRandomDatagrams() {
    // Random fragments and parities (overlapping, contradicting, out of order, some completing),
    // before and after trust: what the session says it holds is what the budget counts, never
    // above its limit, and everything is given back at the end.
    for (bool trusted : {false, true}) {
      auto budget = std::make_shared<ReceiveBudget>(8u << 20, 2u << 20);
      UdpOptions o;
      auto s = std::make_shared<Session>(7, trusted, o, v4(3000), 1, 5, budget);
      std::mt19937 rng(trusted ? 11 : 12);
      const size_t limit = trusted ? (8u << 20) + Reassembler::kMaxMessageCost : 256u << 10;
      for (uint64_t pn = 1; pn <= 20000 && !s->closed(); ++pn) {
        std::vector<uint8_t> d;
        writeHeader(d, {DatagramType::kData, 7, pn});
        const size_t frags = 1 + rng() % 4;
        for (size_t i = 0; i < frags; ++i) {
          const MessageClass cls = rng() % 3 ? MessageClass::kReliable : MessageClass::kDroppable;
          const uint64_t seq = rng() % 12;
          const uint32_t total = 1 + (seq * 7919 + (rng() % 50 == 0 ? 1 : 0)) % 60000;
          const uint32_t offset = rng() % total;
          const uint16_t length =
              static_cast<uint16_t>(1 + rng() % std::min<uint32_t>(1200, total - offset));
          std::vector<uint8_t> bytes(length, static_cast<uint8_t>(seq));
          writeFragment(d, cls, seq, total, offset, bytes.data(), length);
        }
        if (rng() % 5 == 0) {
          const uint64_t seq = rng() % 12;
          const uint32_t total = 1 + (seq * 7919) % 60000;
          const uint16_t length = static_cast<uint16_t>(1 + rng() % std::min<uint32_t>(600, total));
          std::vector<ParitySlot> slots{{0, length}};
          std::vector<uint8_t> bytes(length, 1);
          writeParity(d, seq, total, slots, bytes.data(), length);
        }
        const PeerAddress from = v4(3000);
        deliver(*s, d, from, 2 + pn);
        CPPUNIT_ASSERT_EQUAL(s->reassemblyBytes(), budget->held());
        CPPUNIT_ASSERT(budget->held() <= limit);
        if (!trusted)
          CPPUNIT_ASSERT_EQUAL(budget->held(), budget->untrustedHeld());
      }
      std::vector<SessionEvent> events;
      s->takeEvents(events);
      CPPUNIT_ASSERT(!events.empty());  // some messages completed
      s.reset();
      CPPUNIT_ASSERT_EQUAL(size_t(0), budget->held());
      CPPUNIT_ASSERT_EQUAL(size_t(0), budget->untrustedHeld());
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReassemblyLimitTest);
