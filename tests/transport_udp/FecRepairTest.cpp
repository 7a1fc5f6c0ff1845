// Resending only what Reed-Solomon parity cannot rebuild (issue 15): when a group of k fragments
// and m parities loses L > m of its k + m datagrams, the sender resends L - m fragments, not every
// lost one; at most m lost costs no resend at all. Through the simulated link, with the losses
// chosen datagram by datagram: every pattern of a 7 + 3 group.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <set>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

namespace {

struct Outcome {
  bool delivered = false;
  bool exact = false;
  uint64_t latencyUs = 0;
  size_t firstSends = 0;         // data fragments of the first transmission
  size_t paritiesSent = 0;       // FEC frames of the first transmission
  std::set<size_t> resentSlots;  // original fragments touched by a resend
  uint64_t resentBytes = 0;
};

/// One droppable message of |size| bytes from server to client with |m| fixed parities per
/// group; the datagrams of its first transmission (data fragments, then parities, numbered in
/// sending order) in |lostMask| are dropped, nothing else is.
Outcome sendOne(size_t size, int m, uint32_t lostMask) {
  UdpOptions o;
  o.fecParity = m;
  o.probeMtu = false;
  ImpairmentConfig way;
  way.delayUs = 10000;
  SimulatedLink link(o, way, way, 3);
  link.runUntil(200000);
  const auto msg = numbered(9, size);
  std::vector<std::pair<uint32_t, uint32_t>> slots;  // first-sent fragments: offset, end
  size_t index = 0;
  Outcome r;
  link.dropIf = [&](bool toServer, const std::vector<uint8_t>& bytes) {
    if (toServer)
      return false;
    auto h = parseHeader(bytes.data(), bytes.size());
    if (!h || h->type != DatagramType::kData)
      return false;
    auto f = parseFrames(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
    if (!f)
      return false;
    bool first = false;
    for (const auto& frag : f->fragments) {
      if (frag.cls != MessageClass::kDroppable || frag.length == 0)
        continue;
      const uint32_t end = frag.offset + frag.length;
      bool seen = false;
      for (size_t i = 0; i < slots.size(); ++i) {
        if (frag.offset < slots[i].second && end > slots[i].first) {
          seen = true;
          r.resentSlots.insert(i);
        }
      }
      if (seen) {
        r.resentBytes += frag.length;
      } else {
        slots.push_back({frag.offset, end});
        r.firstSends++;
        first = true;
      }
    }
    for (const auto& p : f->parities) {
      if (p.parityCount) {
        r.paritiesSent++;
        first = true;
      }
    }
    if (!first)
      return false;
    return ((lostMask >> index++) & 1) != 0;
  };
  const uint64_t sentAt = link.now;
  sendTo(*link.server, msg, MessageClass::kDroppable, 0, 1, link.now);
  link.runUntil(link.now + 3000000);
  size_t i = 0;
  for (const auto& e : link.clientEvents) {
    if (e.kind != SessionEvent::Kind::kData) {
      continue;
    }
    r.delivered = true;
    r.exact = e.data == msg;
    r.latencyUs = link.receivedAt[i++] - sentAt;
  }
  return r;
}

std::vector<uint32_t> subsets(size_t count, size_t n) {
  std::vector<uint32_t> out;
  for (uint32_t mask = 0; mask < (1u << count); ++mask)
    if (static_cast<size_t>(__builtin_popcount(mask)) == n)
      out.push_back(mask);
  return out;
}

}  // namespace

class FecRepairTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FecRepairTest);
  CPPUNIT_TEST(testUpToMLostNeedsNoResend);
  CPPUNIT_TEST(testBeyondMResendsOnlyWhatParityCannotRebuild);
  CPPUNIT_TEST_SUITE_END();

 public:
  static constexpr size_t kSize = 7000;  // 7 fragments at the default MTU
  static constexpr int kM = 3;
  static constexpr size_t kK = 7;

  void testUpToMLostNeedsNoResend() {
    const Outcome clean = sendOne(kSize, kM, 0);
    CPPUNIT_ASSERT_EQUAL(kK, clean.firstSends);
    CPPUNIT_ASSERT_EQUAL(size_t(kM), clean.paritiesSent);
    size_t patterns = 0;
    for (size_t lost = 1; lost <= size_t(kM); ++lost) {
      for (uint32_t mask : subsets(kK + kM, lost)) {
        const Outcome r = sendOne(kSize, kM, mask);
        const std::string what = "lost mask " + std::to_string(mask);
        CPPUNIT_ASSERT_MESSAGE(what, r.delivered && r.exact);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, size_t(0), r.resentSlots.size());
        // Rebuilt on arrival: one way (10 ms) and the group's sending time, no round trip.
        CPPUNIT_ASSERT_MESSAGE(what + " " + std::to_string(r.latencyUs), r.latencyUs < 20000);
        ++patterns;
      }
    }
    CPPUNIT_ASSERT_EQUAL(size_t(10 + 45 + 120), patterns);
  }

  void testBeyondMResendsOnlyWhatParityCannotRebuild() {
    size_t patterns = 0, resent = 0, lostData = 0;
    for (size_t lost = kM + 1; lost <= size_t(kM) + 3; ++lost) {
      for (uint32_t mask : subsets(kK + kM, lost)) {
        const Outcome r = sendOne(kSize, kM, mask);
        const std::string what = "lost mask " + std::to_string(mask);
        CPPUNIT_ASSERT_MESSAGE(what, r.delivered && r.exact);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, lost - kM, r.resentSlots.size());
        resent += r.resentSlots.size();
        lostData += __builtin_popcount(mask & ((1u << kK) - 1));
        ++patterns;
      }
    }
    CPPUNIT_ASSERT_EQUAL(size_t(210 + 252 + 210), patterns);
    // What the plain loss path resent: every lost data fragment.
    std::printf(
        "\n  %zu patterns of 4-6 lost of 7+3: %zu fragments resent (every lost data "
        "fragment: %zu)\n",
        patterns, resent, lostData);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FecRepairTest);
