// Forward error correction of droppable messages, version-1 XOR parity (still sent to peers that
// do not announce Reed-Solomon, still read from them): the PARITY frame on the wire, the sender's
// grouping, the receiver rebuilding any one missing fragment of a group, and the effect on
// screen-update latency over a lossy simulated link.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <cstdio>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"
#include "parity.hpp"
#include "reassembler.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

namespace {

struct Cut {
  uint32_t offset;
  uint16_t length;
};

/// How buildData cuts a message: a short first fragment (it shared a datagram), then full ones.
std::vector<Cut> cutMessage(size_t total, uint16_t first, uint16_t rest) {
  std::vector<Cut> cuts;
  for (size_t off = 0; off < total;) {
    const auto len = static_cast<uint16_t>(std::min<size_t>(off == 0 ? first : rest, total - off));
    cuts.push_back({static_cast<uint32_t>(off), len});
    off += len;
  }
  return cuts;
}

FragmentFrame fragmentOf(uint64_t seq, const std::vector<uint8_t>& msg, const Cut& c) {
  FragmentFrame f;
  f.cls = MessageClass::kDroppable;
  f.seq = seq;
  f.total = static_cast<uint32_t>(msg.size());
  f.offset = c.offset;
  f.length = c.length;
  f.data = msg.data() + c.offset;
  return f;
}

ParityFrame frameOf(const PendingParity& p) {
  return ParityFrame{p.seq, p.total, p.slots, p.data.data(), static_cast<uint16_t>(p.data.size())};
}

/// Screen updates of |size| bytes at 30 Hz from server to client for 6 s over |loss|% each way;
/// returns the latencies of the updates that arrived.
std::vector<uint64_t> updateLatencies(int fecGroup, double loss, size_t size, Session** server,
                                      uint64_t* recovered, uint64_t* parities) {
  UdpOptions o;
  o.fecGroup = fecGroup;
  o.fecParity = -1;  // the XOR parity of version-1 peers (ReedSolomonTest covers the default)
  static std::unique_ptr<SimulatedLink> link;
  ImpairmentConfig path = lossy(loss);
  if (loss == 0)
    path.reorderPct = path.duplicatePct = 0;  // a clean path: reordering reads as loss
  link = std::make_unique<SimulatedLink>(o, path, path, 11);
  std::map<uint64_t, uint64_t> sentAt;
  uint32_t n = 0;
  link->setHook(
      [&](uint64_t now) -> uint64_t {
        if (!link->client->established())
          return now + 1000;
        sendTo(*link->server, numbered(n, size), MessageClass::kDroppable, 0, n, now);
        sentAt[n++] = now;
        return now + 33333;
      },
      1);
  link->runUntil(6000000);
  std::vector<uint64_t> latency;
  size_t i = 0;
  for (auto& e : link->clientEvents) {
    if (e.kind == SessionEvent::Kind::kData)
      latency.push_back(link->receivedAt[i] - sentAt[indexOf(e.data)]);
    ++i;
  }
  *server = link->server.get();
  *recovered = link->client->fragmentsRecovered();
  *parities = link->server->parityDatagramsSent();
  return latency;
}

}  // namespace

class ParityTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ParityTest);
  CPPUNIT_TEST(testParityFrameOnTheWire);
  CPPUNIT_TEST(testAnyOneMissingFragmentIsRebuilt);
  CPPUNIT_TEST(testTwoHolesInAGroupWaitForTheResend);
  CPPUNIT_TEST(testParityBeforeItsFragments);
  CPPUNIT_TEST(testUpdatesArriveSoonerUnderLoss);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testParityFrameOnTheWire() {
    const std::vector<uint8_t> data = {1, 2, 3, 4, 5};
    std::vector<uint8_t> d;
    writeParity(d, 9, 100, {{0, 5}, {5, 3}}, data.data(), 5);
    CPPUNIT_ASSERT_EQUAL(parityFrameSize(2, 5), d.size());
    auto f = parseFrames(d.data(), d.size());
    CPPUNIT_ASSERT(f && f->parities.size() == 1);
    CPPUNIT_ASSERT_EQUAL(uint64_t(9), f->parities[0].seq);
    CPPUNIT_ASSERT_EQUAL(size_t(2), f->parities[0].slots.size());
    CPPUNIT_ASSERT(!f->ackEliciting());  // never resent, so never waited for
    // Malformed: overlapping slots, a slot past the message, a slot longer than the data, none.
    for (const std::vector<ParitySlot>& bad :
         std::vector<std::vector<ParitySlot>>{{{0, 5}, {4, 3}}, {{98, 5}}, {{0, 6}}, {}}) {
      std::vector<uint8_t> b;
      writeParity(b, 9, 100, bad, data.data(), 5);
      CPPUNIT_ASSERT(!parseFrames(b.data(), b.size()));
    }
    // Truncated anywhere.
    for (size_t cut = 1; cut < d.size(); ++cut)
      CPPUNIT_ASSERT(!parseFrames(d.data(), cut));
  }

  void testAnyOneMissingFragmentIsRebuilt() {
    const auto msg = numbered(5, 9000);
    const auto cuts = cutMessage(msg.size(), 700, 1150);
    ParityEncoder enc;
    enc.setGroupSize(4);
    for (const auto& c : cuts)
      enc.onFirstSend(3, uint32_t(msg.size()), c.offset, msg.data() + c.offset, c.length);
    const auto parities = enc.takeReady();
    CPPUNIT_ASSERT_EQUAL(size_t(3), parities.size());  // 9 fragments: groups of 4, 4 and the tail
    for (size_t missing = 0; missing < cuts.size(); ++missing) {
      Reassembler r(1 << 20);
      std::vector<std::vector<uint8_t>> out;
      for (size_t i = 0; i < cuts.size(); ++i)
        if (i != missing)
          r.add(fragmentOf(3, msg, cuts[i]), 1, out);
      CPPUNIT_ASSERT(out.empty());
      for (const auto& p : parities)
        r.addParity(frameOf(p), 2, out);
      CPPUNIT_ASSERT_EQUAL_MESSAGE("missing " + std::to_string(missing), size_t(1), out.size());
      CPPUNIT_ASSERT(out[0] == msg);
      CPPUNIT_ASSERT_EQUAL(uint64_t(1), r.recovered());
      CPPUNIT_ASSERT_EQUAL(size_t(0), r.bufferedBytes());
      // The resend that follows is a harmless duplicate.
      r.add(fragmentOf(3, msg, cuts[missing]), 3, out);
      CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    }
  }

  void testTwoHolesInAGroupWaitForTheResend() {
    const auto msg = numbered(6, 4600);
    const auto cuts = cutMessage(msg.size(), 1150, 1150);  // 4 fragments, one group
    ParityEncoder enc;
    enc.setGroupSize(4);
    for (const auto& c : cuts)
      enc.onFirstSend(8, uint32_t(msg.size()), c.offset, msg.data() + c.offset, c.length);
    const auto parities = enc.takeReady();
    CPPUNIT_ASSERT_EQUAL(size_t(1), parities.size());
    Reassembler r(1 << 20);
    std::vector<std::vector<uint8_t>> out;
    r.add(fragmentOf(8, msg, cuts[0]), 1, out);
    r.add(fragmentOf(8, msg, cuts[3]), 1, out);
    r.addParity(frameOf(parities[0]), 1, out);
    CPPUNIT_ASSERT(out.empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), r.recovered());
    r.add(fragmentOf(8, msg, cuts[1]), 2, out);  // the resend of one hole: parity does the other
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    CPPUNIT_ASSERT(out[0] == msg);
    CPPUNIT_ASSERT_EQUAL(uint64_t(1), r.recovered());
  }

  void testParityBeforeItsFragments() {
    const auto msg = numbered(7, 2500);
    const auto cuts = cutMessage(msg.size(), 1150, 1150);
    ParityEncoder enc;
    enc.setGroupSize(8);
    for (const auto& c : cuts)
      enc.onFirstSend(2, uint32_t(msg.size()), c.offset, msg.data() + c.offset, c.length);
    auto parities = enc.takeReady();  // the message ended: the group closes with 3 slots
    CPPUNIT_ASSERT_EQUAL(size_t(1), parities.size());
    CPPUNIT_ASSERT_EQUAL(size_t(3), parities[0].slots.size());
    Reassembler r(1 << 20);
    std::vector<std::vector<uint8_t>> out;
    r.addParity(frameOf(parities[0]), 1, out);  // reordered ahead of the data
    r.add(fragmentOf(2, msg, cuts[0]), 1, out);
    r.add(fragmentOf(2, msg, cuts[2]), 1, out);
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    CPPUNIT_ASSERT(out[0] == msg);
    // Parity for a message already delivered is ignored and keeps nothing.
    r.addParity(frameOf(parities[0]), 2, out);
    CPPUNIT_ASSERT_EQUAL(size_t(0), r.bufferedBytes());
  }

  void testUpdatesArriveSoonerUnderLoss() {
    // 15 kB updates (13 fragments) at 10% loss each way, 10 ms one way: without parity most
    // updates lose a fragment and wait a repair round trip; with it most arrive in one way.
    Session* server = nullptr;
    uint64_t recovered = 0, parities = 0;
    auto off = updateLatencies(-1, 10, 15000, &server, &recovered, &parities);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), parities);
    auto on = updateLatencies(4, 10, 15000, &server, &recovered, &parities);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(parities), parities > 100);
    CPPUNIT_ASSERT(recovered > 50);
    auto within = [](const std::vector<uint64_t>& v, uint64_t limit) {
      return std::count_if(v.begin(), v.end(), [&](uint64_t l) { return l <= limit; });
    };
    // Within one way plus jitter and pacing, 20 ms.
    const auto fastOff = within(off, 20000), fastOn = within(on, 20000);
    const std::string detail =
        "fast without parity " + std::to_string(fastOff) + "/" + std::to_string(off.size()) +
        ", with " + std::to_string(fastOn) + "/" + std::to_string(on.size()) + ", p90 " +
        std::to_string(percentile(off, 0.9)) + " vs " + std::to_string(percentile(on, 0.9)) + " us";
    std::printf("\n  parity at 10%% loss: %s, %llu parity datagrams, %llu fragments rebuilt\n",
                detail.c_str(), (unsigned long long)parities, (unsigned long long)recovered);
    CPPUNIT_ASSERT_MESSAGE(detail, fastOn > fastOff * 3 / 2);
    CPPUNIT_ASSERT_MESSAGE(detail, percentile(on, 0.9) < percentile(off, 0.9));
    // The default (0) turns parity on from the loss the sender measures, and off without loss.
    updateLatencies(0, 10, 15000, &server, &recovered, &parities);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(parities), parities > 100);
    updateLatencies(0, 0, 15000, &server, &recovered, &parities);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), parities);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ParityTest);
