// Quick repair of losses at the end of a burst (core/tail_probe) and resends in one piece
// (SendBuffer::next), in virtual time through chosen losses.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"
#include "tail_probe.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

namespace {

constexpr uint32_t kUpdateBytes = 15000;
constexpr uint64_t kUpdateId = 1u << 20;

ImpairmentConfig twentyMsOneWay() {
  ImpairmentConfig c;
  c.delayUs = 20000;
  return c;
}

// The droppable fragments of one server datagram (none for other datagrams).
std::vector<FragmentFrame> droppableFragments(bool toServer, const std::vector<uint8_t>& bytes) {
  if (toServer)
    return {};
  const auto h = parseHeader(bytes.data(), bytes.size());
  if (!h || h->type != DatagramType::kData)
    return {};
  const auto f = parseFrames(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
  if (!f)
    return {};
  std::vector<FragmentFrame> out;
  for (const auto& frag : f->fragments) {
    if (frag.cls == MessageClass::kDroppable)
      out.push_back(frag);
  }
  return out;
}

// One 15 kB screen update after 2 s of small traffic (the round trip settles at 40 ms); the
// datagrams holding byte |lostByte| of it are lost |times| times. Returns its delivery time.
uint64_t updateLatencyUs(bool tailProbes, uint32_t lostByte, int times, uint64_t* probes) {
  UdpOptions o;
  o.tailProbes = tailProbes;
  o.droppableDeadlineUs = 1000000;
  // Tail probes alone: the warm-up's riders would change the acks' timing and so srtt and the PTO.
  o.smallMessageRides = false;
  SimulatedLink link(o, twentyMsOneWay(), twentyMsOneWay(), 5);
  int dropped = 0;
  link.dropIf = [&](bool toServer, const std::vector<uint8_t>& bytes) {
    for (const auto& frag : droppableFragments(toServer, bytes)) {
      if (frag.total == kUpdateBytes && frag.offset <= lostByte &&
          lostByte < frag.offset + frag.length && dropped < times) {
        ++dropped;
        return true;
      }
    }
    return false;
  };
  uint32_t next = 0;
  uint64_t sentUs = 0;
  link.setHook(
      [&](uint64_t now) -> uint64_t {
        if (!link.client->established())
          return now + 1000;
        if (now < 2000000) {
          sendTo(*link.server, numbered(next++, 200), MessageClass::kReliable, 0, 0, now);
          return now + 50000;
        }
        sentUs = now;
        sendTo(*link.server, numbered(kUpdateId, kUpdateBytes), MessageClass::kDroppable, 0, 1,
               now);
        return UINT64_MAX;
      },
      1);
  link.runUntil(4000000);
  *probes = link.server->tailProbesSent();
  for (size_t i = 0, k = 0; i < link.clientEvents.size(); ++i) {
    const auto& e = link.clientEvents[i];
    if (e.kind != SessionEvent::Kind::kData)
      continue;
    if (indexOf(e.data) == kUpdateId)
      return link.receivedAt[k] - sentUs;
    ++k;
  }
  return UINT64_MAX;
}

}  // namespace

class TailProbeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TailProbeTest);
  CPPUNIT_TEST(testDelayFollowsTheRoundTripWithinBounds);
  CPPUNIT_TEST(testDueOnceAtItsTime);
  CPPUNIT_TEST(testLostResendRepairedARoundTripSooner);
  CPPUNIT_TEST(testNoProbesOnACleanLink);
  CPPUNIT_TEST(testResendsGoInOnePiece);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDelayFollowsTheRoundTripWithinBounds() {
    CPPUNIT_ASSERT_EQUAL(uint64_t(2000), TailProbe::delayUs(1000));
    CPPUNIT_ASSERT_EQUAL(uint64_t(5000), TailProbe::delayUs(40000));
    CPPUNIT_ASSERT_EQUAL(uint64_t(25000), TailProbe::delayUs(1000000));
  }

  void testDueOnceAtItsTime() {
    TailProbe t;
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, t.dueUs());
    CPPUNIT_ASSERT(!t.takeDue(1000000));
    t.arm(17, 1000000, 40000);
    CPPUNIT_ASSERT_EQUAL(uint64_t(1005000), t.dueUs());
    CPPUNIT_ASSERT(!t.takeDue(1004999));
    t.arm(18, 1001000, 40000);  // a later burst end moves it
    const auto pn = t.takeDue(1006000);
    CPPUNIT_ASSERT(pn);
    CPPUNIT_ASSERT_EQUAL(uint64_t(18), *pn);
    CPPUNIT_ASSERT(!t.takeDue(1007000));
  }

  void testLostResendRepairedARoundTripSooner() {
    // The fragment at byte 5000 and then its resend are lost; nothing else is sent after the
    // resend. Without a probe the second loss shows at the PTO (srtt + 4 rttvar + 20 ms after
    // the resend); with one, the PING's gap shows it 9/8 srtt after the resend.
    uint64_t probesWith = 0, probesWithout = 0;
    const uint64_t with = updateLatencyUs(true, 5000, 2, &probesWith);
    const uint64_t without = updateLatencyUs(false, 5000, 2, &probesWithout);
    const std::string msg =
        "with " + std::to_string(with) + " us, without " + std::to_string(without) + " us";
    CPPUNIT_ASSERT_MESSAGE(msg, without != UINT64_MAX);
    // srtt reads ~50 ms here (the warm-up's acks wait up to max_ack_delay): the loss shows 9/8
    // srtt after the resend, against srtt + 4 rttvar + max_ack_delay (~115 ms) for the PTO.
    CPPUNIT_ASSERT_MESSAGE(msg, with + 30000 < without);
    CPPUNIT_ASSERT_MESSAGE(msg, with < 130000);
    CPPUNIT_ASSERT(probesWith >= 1);
  }

  void testNoProbesOnACleanLink() {
    // 15 kB updates at 30 Hz and no loss: no resends, no loss measured, no PINGs.
    UdpOptions o;
    SimulatedLink link(o, twentyMsOneWay(), twentyMsOneWay(), 3);
    uint32_t next = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (link.client->established())
            sendTo(*link.server, numbered(next++, kUpdateBytes), MessageClass::kDroppable, 0, 1,
                   now);
          return now + 33333;
        },
        1);
    // Until ~30 datagrams were acknowledged, 5% loss is assumed (as for parity): the first
    // updates may get a probe.
    link.runUntil(500000);
    const uint64_t startUp = link.server->tailProbesSent();
    link.runUntil(2500000);
    CPPUNIT_ASSERT(link.data(link.clientEvents).size() >= 55);
    CPPUNIT_ASSERT_EQUAL(startUp, link.server->tailProbesSent());
  }

  void testResendsGoInOnePiece() {
    // 15 kB updates at 30 Hz while the client sends small reliable messages (so the server owes
    // acks and piggybacks them); every 7th server datagram with droppable bytes is lost, and
    // every 5th client datagram (the server's acks then carry several ranges). Each
    // lost fragment's first resend must carry all of it: an ack frame taking room from a
    // datagram used to cut it in two, and either piece lost lost the resend.
    UdpOptions o;
    o.fecGroup = -1;  // repair only: the resends are what is checked
    SimulatedLink link(o, twentyMsOneWay(), twentyMsOneWay(), 9);
    std::map<std::pair<uint64_t, uint32_t>, uint32_t> lost;  // (message, offset) -> length
    std::map<uint64_t, uint32_t> sentUpTo;  // message -> end of its bytes sent so far
    size_t resendsChecked = 0, withData = 0;
    std::string failures;
    size_t fromClient = 0;
    link.dropIf = [&](bool toServer, const std::vector<uint8_t>& bytes) {
      if (toServer)
        return link.client->established() && ++fromClient % 5 == 0;
      const auto frags = droppableFragments(toServer, bytes);
      if (frags.empty())
        return false;
      bool firstSends = false;
      for (const auto& f : frags) {
        for (auto it = lost.begin(); it != lost.end();) {
          const auto [seq, offset] = it->first;
          const uint32_t end = offset + it->second;
          if (seq == f.seq && f.offset < end && offset < f.offset + f.length) {
            ++resendsChecked;
            if (f.offset > offset || f.offset + f.length < end) {
              failures += " " + std::to_string(seq) + ":" + std::to_string(offset) + "+" +
                          std::to_string(it->second) + " resent as " + std::to_string(f.offset) +
                          "+" + std::to_string(f.length);
            }
            it = lost.erase(it);
          } else {
            ++it;
          }
        }
        auto& upTo = sentUpTo[f.seq];
        if (f.offset >= upTo) {
          firstSends = true;
          upTo = f.offset + f.length;
        }
      }
      if (!firstSends || ++withData % 7 != 0)
        return false;
      for (const auto& f : frags)
        lost[{f.seq, f.offset}] = f.length;
      return true;
    };
    uint32_t next = 0;
    link.setHook(
        [&](uint64_t now) -> uint64_t {
          if (link.client->established()) {
            sendTo(*link.server, numbered(next++, kUpdateBytes), MessageClass::kDroppable, 0, 1,
                   now);
            sendTo(*link.client, numbered(next++, 100), MessageClass::kReliable, 0, 0, now);
          }
          return now + 33333;
        },
        1);
    link.runUntil(3000000);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(resendsChecked), resendsChecked >= 50);
    CPPUNIT_ASSERT_MESSAGE(failures, failures.empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TailProbeTest);
