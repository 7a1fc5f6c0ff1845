// Reed-Solomon forward error correction of droppable messages (issue 15): the FEC frame on the wire
// (versioned; malformed ones refused, later versions skipped), every erasure pattern up to m
// rebuilt and more than m left to the resends, parity sized from the loss, the handshake
// announcement (version-1 peers get XOR parity), and the effect on update latency through the
// simulated lossy link.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <cmath>
#include <cstdio>

#include "SimulatedLink.hpp"
#include "core_test_helpers.hpp"
#include "fec_policy.hpp"
#include "parity.hpp"
#include "reassembler.hpp"
#include "rs_codec.hpp"

using namespace rdk::udp;
using namespace rdk::udp::test;

namespace {

struct Cut {
  uint32_t offset;
  uint16_t length;
};

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
  ParityFrame f{p.seq, p.total, p.slots, p.data.data(), static_cast<uint16_t>(p.data.size())};
  f.parityCount = p.count;
  f.index = p.index;
  return f;
}

/// Reed-Solomon parities of |msg| cut as |cuts| into groups of |k| with |m| parities each.
std::vector<PendingParity> encode(uint64_t seq, const std::vector<uint8_t>& msg,
                                  const std::vector<Cut>& cuts, size_t k, size_t m) {
  ParityEncoder enc;
  enc.setGroupSize(k);
  enc.setReedSolomon([m](size_t, bool) { return m; });
  for (const auto& c : cuts)
    enc.onFirstSend(seq, uint32_t(msg.size()), c.offset, msg.data() + c.offset, c.length);
  return enc.takeReady();
}

/// Every subset of size |n| of 0..|count|-1, as bit masks.
std::vector<uint32_t> subsets(size_t count, size_t n) {
  std::vector<uint32_t> out;
  for (uint32_t mask = 0; mask < (1u << count); ++mask)
    if (static_cast<size_t>(__builtin_popcount(mask)) == n)
      out.push_back(mask);
  return out;
}

struct Run {
  std::vector<uint64_t> latency;
  uint64_t parities = 0, recovered = 0, wire = 0, payload = 0, resent = 0;
};

/// 15 kB screen updates at 30 Hz from server to client for 6 s over |loss|% random loss each way
/// (10 ms one way); |serverParity| / |clientParity|: fec_parity of each side.
Run updates(double loss, int serverParity, int clientParity, size_t size = 15000) {
  UdpOptions client, server;
  client.fecParity = clientParity;
  server.fecParity = serverParity;
  ImpairmentConfig path = lossy(loss);
  auto link = std::make_unique<SimulatedLink>(client, path, path, 11, &server);
  std::map<uint64_t, uint64_t> sentAt;
  uint32_t n = 0;
  SimulatedLink* l = link.get();
  link->setHook(
      [&](uint64_t now) -> uint64_t {
        if (!l->client->established())
          return now + 1000;
        sendTo(*l->server, numbered(n, size), MessageClass::kDroppable, 0, n, now);
        sentAt[n++] = now;
        return now + 33333;
      },
      1);
  link->runUntil(6000000);
  Run r;
  size_t i = 0;
  for (auto& e : link->clientEvents) {
    if (e.kind == SessionEvent::Kind::kData) {
      r.latency.push_back(link->receivedAt[i] - sentAt[indexOf(e.data)]);
      r.payload += e.data.size();
    }
    ++i;
  }
  r.parities = link->server->parityDatagramsSent();
  r.recovered = link->client->fragmentsRecovered();
  r.wire = link->wireBytes;
  r.resent = link->server->stats().retransmissions;
  return r;
}

}  // namespace

class ReedSolomonTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReedSolomonTest);
  CPPUNIT_TEST(testCodecRebuildsAnyKShards);
  CPPUNIT_TEST(testFecFrameOnTheWire);
  CPPUNIT_TEST(testMalformedFecFramesRefused);
  CPPUNIT_TEST(testEveryErasurePatternUpToMRebuilt);
  CPPUNIT_TEST(testMoreThanMMissingWaitsForTheResend);
  CPPUNIT_TEST(testParityArrivingFirstAndDuplicates);
  CPPUNIT_TEST(testParitySizedFromLoss);
  CPPUNIT_TEST(testHandshakeAnnouncesReedSolomon);
  CPPUNIT_TEST(testVersionOnePeerGetsXorParity);
  CPPUNIT_TEST(testTwoLossesPerGroupNoLongerWaitAtTenPercent);
  CPPUNIT_TEST(testBurstsAreMeasured);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testCodecRebuildsAnyKShards() {
    // k = 5 data, m = 3 parity shards of 37 bytes: every choice of k shards rebuilds the data.
    const size_t k = 5, m = 3, len = 37;
    std::vector<std::vector<uint8_t>> data(k, std::vector<uint8_t>(len));
    for (size_t i = 0; i < k; ++i)
      for (size_t j = 0; j < len; ++j)
        data[i][j] = static_cast<uint8_t>(i * 53 + j * 7 + 1);
    std::vector<const uint8_t*> ptr;
    for (auto& d : data)
      ptr.push_back(d.data());
    const auto parity = rsEncode(ptr, len, 0, m);
    CPPUNIT_ASSERT_EQUAL(m, parity.size());
    // The shards do not depend on how many are made: shard 2 of 3 equals shard 2 of 5.
    CPPUNIT_ASSERT(rsEncode(ptr, len, 2, 1)[0] == parity[2]);
    size_t patterns = 0;
    for (uint32_t keep : subsets(k + m, k)) {
      std::vector<RsShard> have;
      std::vector<size_t> missing;
      for (size_t i = 0; i < k + m; ++i) {
        if (keep & (1u << i))
          have.push_back({i, i < k ? data[i].data() : parity[i - k].data()});
        else if (i < k)
          missing.push_back(i);
      }
      if (missing.empty())
        continue;
      const auto rebuilt = rsDecode(k, have, missing, len);
      CPPUNIT_ASSERT_EQUAL(missing.size(), rebuilt.size());
      for (size_t j = 0; j < missing.size(); ++j)
        CPPUNIT_ASSERT(rebuilt[j] == data[missing[j]]);
      ++patterns;
    }
    CPPUNIT_ASSERT_EQUAL(size_t(55), patterns);  // C(8,5) = 56, less the one with no data missing
    // Not k distinct shards: nothing.
    std::vector<RsShard> twice = {{0, data[0].data()},
                                  {0, data[0].data()},
                                  {5, parity[0].data()},
                                  {6, parity[1].data()},
                                  {7, parity[2].data()}};
    CPPUNIT_ASSERT(rsDecode(k, twice, {1}, len).empty());
  }

  void testFecFrameOnTheWire() {
    const std::vector<uint8_t> shard = {1, 2, 3, 4, 5};
    std::vector<uint8_t> d;
    writeFec(d, 9, 100, {{0, 5}, {5, 3}}, 3, 2, shard.data(), 5);
    CPPUNIT_ASSERT_EQUAL(fecFrameSize(2, 5), d.size());
    auto f = parseFrames(d.data(), d.size());
    CPPUNIT_ASSERT(f && f->parities.size() == 1);
    const ParityFrame& p = f->parities[0];
    CPPUNIT_ASSERT_EQUAL(uint64_t(9), p.seq);
    CPPUNIT_ASSERT_EQUAL(uint32_t(100), p.total);
    CPPUNIT_ASSERT_EQUAL(uint8_t(3), p.parityCount);
    CPPUNIT_ASSERT_EQUAL(uint8_t(2), p.index);
    CPPUNIT_ASSERT(p.slots == (std::vector<ParitySlot>{{0, 5}, {5, 3}}));
    CPPUNIT_ASSERT(std::equal(shard.begin(), shard.end(), p.data));
    CPPUNIT_ASSERT(!f->ackEliciting());
    // A later version is stepped over by its length; the frames around it still count.
    std::vector<uint8_t> later = {uint8_t(FrameType::kFec), 2, 0, 3, 0xAA, 0xBB, 0xCC,
                                  uint8_t(FrameType::kPing)};
    auto g = parseFrames(later.data(), later.size());
    CPPUNIT_ASSERT(g && g->ping && g->parities.empty());
    CPPUNIT_ASSERT_EQUAL(uint32_t(1), g->unknownFecFrames);
    // The XOR frame of version-1 peers still parses next to it.
    std::vector<uint8_t> both = d;
    writeParity(both, 9, 100, {{0, 5}}, shard.data(), 5);
    auto h = parseFrames(both.data(), both.size());
    CPPUNIT_ASSERT(h && h->parities.size() == 2 && h->parities[1].parityCount == 0);
    // Features ride after the INITIAL's token and the ACCEPT's header; old ones carry none.
    const auto initial = makeInitial(5, {1, 2, 3}, kFeatureReedSolomon);
    CPPUNIT_ASSERT(initial.size() >= kMinInitialSize);
    CPPUNIT_ASSERT_EQUAL(kFeatureReedSolomon, initialFeatures(initial.data() + kHeaderSize,
                                                              initial.size() - kHeaderSize));
    CPPUNIT_ASSERT(parseToken(initial.data() + kHeaderSize, initial.size() - kHeaderSize) ==
                   (std::vector<uint8_t>{1, 2, 3}));
    const auto old = makeInitial(5, {1, 2, 3});
    CPPUNIT_ASSERT_EQUAL(uint32_t(0),
                         initialFeatures(old.data() + kHeaderSize, old.size() - kHeaderSize));
    const auto accept = makeAccept(5, kFeatureReedSolomon);
    CPPUNIT_ASSERT(parseHeader(accept.data(), accept.size()));
    CPPUNIT_ASSERT_EQUAL(kFeatureReedSolomon,
                         acceptFeatures(accept.data() + kHeaderSize, accept.size() - kHeaderSize));
    CPPUNIT_ASSERT_EQUAL(uint32_t(0), acceptFeatures(nullptr, 0));
    // DELIVERED: 1..32 message ids.
    const uint64_t ids[33] = {5, 1ull << 40};
    std::vector<uint8_t> del;
    writeDelivered(del, ids, 2);
    CPPUNIT_ASSERT_EQUAL(deliveredFrameSize(2), del.size());
    auto df = parseFrames(del.data(), del.size());
    CPPUNIT_ASSERT(df && df->delivered == (std::vector<uint64_t>{5, 1ull << 40}));
    CPPUNIT_ASSERT(!df->ackEliciting());
    for (size_t cut = 1; cut < del.size(); ++cut)
      CPPUNIT_ASSERT(!parseFrames(del.data(), cut));
    for (size_t n : {size_t(0), size_t(33)}) {
      std::vector<uint8_t> b;
      writeDelivered(b, ids, n);
      CPPUNIT_ASSERT(!parseFrames(b.data(), b.size()));
    }
  }

  void testMalformedFecFramesRefused() {
    const std::vector<uint8_t> shard(8, 9);
    auto bad = [&](const std::vector<ParitySlot>& slots, uint8_t count, uint8_t index,
                   uint16_t length, const std::string& why) {
      std::vector<uint8_t> b;
      writeFec(b, 1, 100, slots, count, index, shard.data(), length);
      CPPUNIT_ASSERT_MESSAGE(why, !parseFrames(b.data(), b.size()));
    };
    bad({{0, 5}, {4, 3}}, 2, 0, 5, "overlapping slots");
    bad({{98, 5}}, 2, 0, 5, "slot past the message");
    bad({{0, 6}}, 2, 0, 5, "slot longer than the shard");
    bad({}, 2, 0, 5, "no slots");
    bad({{0, 5}}, 0, 0, 5, "no parities");
    bad({{0, 5}}, 2, 2, 5, "index beyond the count");
    bad({{0, 5}}, uint8_t(kMaxFecParities + 1), 0, 5, "too many parities");
    std::vector<ParitySlot> many;
    for (uint32_t i = 0; i <= kMaxParitySlots; ++i)
      many.push_back({i * 5, 5});
    bad(many, 2, 0, 5, "too many slots");
    // Body length that disagrees with the body: one byte more, one less.
    std::vector<uint8_t> d;
    writeFec(d, 1, 100, {{0, 5}}, 2, 1, shard.data(), 5);
    for (int delta : {-1, 1}) {
      auto b = d;
      const uint16_t len = static_cast<uint16_t>(((b[2] << 8) | b[3]) + delta);
      b[2] = static_cast<uint8_t>(len >> 8);
      b[3] = static_cast<uint8_t>(len);
      if (delta > 0)
        b.push_back(0);
      else
        b.insert(b.end(), {uint8_t(FrameType::kPing)});
      CPPUNIT_ASSERT_MESSAGE("length " + std::to_string(delta), !parseFrames(b.data(), b.size()));
    }
    for (size_t cut = 1; cut < d.size(); ++cut)
      CPPUNIT_ASSERT(!parseFrames(d.data(), cut));
    // A shard that contradicts its group (other slots) is ignored, not used.
    const auto msg = numbered(3, 3000);
    const auto cuts = cutMessage(msg.size(), 1000, 1000);
    auto parities = encode(4, msg, cuts, 3, 2);
    Reassembler r(1 << 20);
    std::vector<std::vector<uint8_t>> out;
    r.add(fragmentOf(4, msg, cuts[0]), 1, out);
    auto wrong = frameOf(parities[1]);
    wrong.slots[2].length = 999;
    r.addParity(frameOf(parities[0]), 1, out);
    r.addParity(wrong, 1, out);
    CPPUNIT_ASSERT(out.empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), r.recovered());
  }

  void testEveryErasurePatternUpToMRebuilt() {
    // 7 fragments (a short first one, as buildData cuts them) in one group with 3 parities: every
    // pattern of 1, 2 or 3 lost fragments, with every choice of which parities arrive.
    const auto msg = numbered(5, 7500);
    const auto cuts = cutMessage(msg.size(), 700, 1150);
    const size_t k = cuts.size(), m = 3;
    CPPUNIT_ASSERT_EQUAL(size_t(7), k);
    const auto parities = encode(3, msg, cuts, 16, m);
    CPPUNIT_ASSERT_EQUAL(m, parities.size());
    size_t patterns = 0;
    for (size_t lost = 1; lost <= m; ++lost) {
      for (uint32_t missing : subsets(k, lost)) {
        for (uint32_t arrived : subsets(m, lost)) {
          Reassembler r(1 << 20);
          std::vector<std::vector<uint8_t>> out;
          for (size_t i = 0; i < k; ++i)
            if (!(missing & (1u << i)))
              r.add(fragmentOf(3, msg, cuts[i]), 1, out);
          CPPUNIT_ASSERT(out.empty());
          for (size_t j = 0; j < m; ++j)
            if (arrived & (1u << j))
              r.addParity(frameOf(parities[j]), 2, out);
          const std::string what =
              "missing " + std::to_string(missing) + " parities " + std::to_string(arrived);
          CPPUNIT_ASSERT_EQUAL_MESSAGE(what, size_t(1), out.size());
          CPPUNIT_ASSERT_MESSAGE(what, out[0] == msg);
          CPPUNIT_ASSERT_EQUAL(uint64_t(lost), r.recovered());
          CPPUNIT_ASSERT_EQUAL(size_t(0), r.bufferedBytes());
          ++patterns;
        }
      }
    }
    // 7x3 + 21x3 + 35x1
    CPPUNIT_ASSERT_EQUAL(size_t(119), patterns);
  }

  void testMoreThanMMissingWaitsForTheResend() {
    const auto msg = numbered(6, 6000);
    const auto cuts = cutMessage(msg.size(), 1000, 1000);  // 6 fragments
    const auto parities = encode(8, msg, cuts, 16, 2);
    Reassembler r(1 << 20);
    std::vector<std::vector<uint8_t>> out;
    for (size_t i : {0, 2, 5})
      r.add(fragmentOf(8, msg, cuts[i]), 1, out);
    for (const auto& p : parities)
      r.addParity(frameOf(p), 1, out);
    CPPUNIT_ASSERT(out.empty());  // 3 holes, 2 parities
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), r.recovered());
    r.add(fragmentOf(8, msg, cuts[3]), 2, out);  // one resend: the parities do the other two
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    CPPUNIT_ASSERT(out[0] == msg);
    CPPUNIT_ASSERT_EQUAL(uint64_t(2), r.recovered());
  }

  void testParityArrivingFirstAndDuplicates() {
    // A key frame of 40 fragments: groups of 16, 16 and the tail of 8, two parities each.
    const auto msg = numbered(7, 40 * 1100);
    const auto cuts = cutMessage(msg.size(), 1100, 1100);
    const auto parities = encode(2, msg, cuts, 16, 2);
    CPPUNIT_ASSERT_EQUAL(size_t(6), parities.size());
    CPPUNIT_ASSERT_EQUAL(size_t(8), parities.back().slots.size());
    Reassembler r(1 << 20);
    std::vector<std::vector<uint8_t>> out;
    for (const auto& p : parities) {
      r.addParity(frameOf(p), 1, out);
      r.addParity(frameOf(p), 1, out);  // duplicated datagrams keep one copy
    }
    // Two holes in each group.
    for (size_t i = 0; i < cuts.size(); ++i)
      if (i % 16 != 3 && i % 16 != 7)
        r.add(fragmentOf(2, msg, cuts[i]), 2, out);
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    CPPUNIT_ASSERT(out[0] == msg);
    CPPUNIT_ASSERT_EQUAL(uint64_t(6), r.recovered());
    CPPUNIT_ASSERT_EQUAL(size_t(0), r.bufferedBytes());
  }

  void testParitySizedFromLoss() {
    FecConditions c;
    c.srttUs = 40000;
    auto m = [&](double loss, size_t k = 13, bool strong = false) {
      c.loss = loss;
      return rsParityCount(k, c, strong);
    };
    CPPUNIT_ASSERT_EQUAL(size_t(0), m(0));
    CPPUNIT_ASSERT_EQUAL(size_t(0), m(0.004));
    size_t previous = 0;
    std::string table;
    for (double loss : {0.01, 0.02, 0.05, 0.1, 0.2}) {
      const size_t n = m(loss);
      table += std::to_string(int(loss * 100)) + "%:" + std::to_string(n) + " ";
      CPPUNIT_ASSERT_MESSAGE(table, n >= previous);
      previous = n;
      // What it promises: at most 1% of 13-fragment updates wait for a repair (unless capped).
      if (n < 8)
        CPPUNIT_ASSERT_MESSAGE(table, groupFailure(13, n, loss, 1) <= 0.01);
    }
    std::printf("\n  parities for 13 fragments by loss (srtt 40 ms): %s\n", table.c_str());
    CPPUNIT_ASSERT(m(0.1) >= 3);                // two losses per group are the common bad case
    CPPUNIT_ASSERT(m(0.2) <= 8);                // at most 0.6 k
    CPPUNIT_ASSERT(m(0.1, 13, true) > m(0.1));  // key frames protected more
    CPPUNIT_ASSERT(m(0.1, 1, true) >= 2);       // a one-fragment urgent message: copies
    // Bursts of 3 at the same loss rate need more parity than random loss.
    c.burst = 3;
    const size_t bursty = m(0.1);
    c.burst = 1;
    CPPUNIT_ASSERT_MESSAGE(std::to_string(bursty), bursty > m(0.1));
    // A short round trip makes the repair cheap: less parity.
    c.srttUs = 2000;
    CPPUNIT_ASSERT(m(0.1) < rsParityCount(13, FecConditions{0.1, 1, 40000, 10000}, false));
    // A parity budget caps it (rounded down): 10% of 11 fragments is one parity, of 5 none.
    c.srttUs = 40000;
    c.maxParityShare = 0.1;
    CPPUNIT_ASSERT_EQUAL(size_t(1), m(0.1, 11));
    CPPUNIT_ASSERT_EQUAL(size_t(0), m(0.1, 5));
    CPPUNIT_ASSERT_EQUAL(size_t(0), m(0, 11));  // a budget is no floor
    c.maxParityShare = 0;
    // The failure model itself: no parity, random loss = 1 - (1-p)^k.
    CPPUNIT_ASSERT(std::abs(groupFailure(10, 0, 0.1, 1) - (1 - std::pow(0.9, 10))) < 1e-9);
  }

  void testHandshakeAnnouncesReedSolomon() {
    UdpOptions o;
    SimulatedLink link(o, lossy(0), lossy(0));
    link.runUntil(200000);
    CPPUNIT_ASSERT(link.client->established());
    CPPUNIT_ASSERT_EQUAL(kFeatureReedSolomon, link.server->peerFeatures());
    CPPUNIT_ASSERT_EQUAL(kFeatureReedSolomon, link.client->peerFeatures());
  }

  void testVersionOnePeerGetsXorParity() {
    // The client behaves as a version-1 peer (announces nothing, sends XOR): the server sends it
    // XOR parity, which it rebuilds from; and the other way round.
    auto old = updates(10, 0, -1);
    CPPUNIT_ASSERT(old.parities > 100 && old.recovered > 20);
    auto oldServer = updates(10, -1, 0);
    CPPUNIT_ASSERT(oldServer.parities > 100 && oldServer.recovered > 20);
    UdpOptions client, server;
    client.fecParity = -1;
    SimulatedLink link(client, lossy(0), lossy(0), 42, &server);
    link.runUntil(200000);
    CPPUNIT_ASSERT_EQUAL(uint32_t(0), link.server->peerFeatures());
    CPPUNIT_ASSERT_EQUAL(kFeatureReedSolomon, link.client->peerFeatures());
  }

  void testTwoLossesPerGroupNoLongerWaitAtTenPercent() {
    // 15 kB updates (13 fragments) at 10% loss each way, 10 ms one way: XOR parity rebuilds one
    // hole per group, so updates that lose two wait for a repair round trip and set the p99;
    // Reed-Solomon sized to the loss rebuilds them too.
    const auto xr = updates(10, -1, -1);
    const auto rs = updates(10, 0, 0);
    auto within = [](const std::vector<uint64_t>& v, uint64_t limit) {
      return std::count_if(v.begin(), v.end(), [&](uint64_t l) { return l <= limit; });
    };
    const std::string detail =
        "XOR p50/p90/p99 " + std::to_string(percentile(xr.latency, 0.5) / 1000) + "/" +
        std::to_string(percentile(xr.latency, 0.9) / 1000) + "/" +
        std::to_string(percentile(xr.latency, 0.99) / 1000) + " ms, " +
        std::to_string(within(xr.latency, 20000)) + "/" + std::to_string(xr.latency.size()) +
        " within 20 ms, wire " + std::to_string(xr.wire / 1000) + " kB; RS " +
        std::to_string(percentile(rs.latency, 0.5) / 1000) + "/" +
        std::to_string(percentile(rs.latency, 0.9) / 1000) + "/" +
        std::to_string(percentile(rs.latency, 0.99) / 1000) + " ms, " +
        std::to_string(within(rs.latency, 20000)) + "/" + std::to_string(rs.latency.size()) +
        ", wire " + std::to_string(rs.wire / 1000) + " kB, " + std::to_string(rs.recovered) +
        " fragments rebuilt; resent " + std::to_string(xr.resent) + " vs " +
        std::to_string(rs.resent);
    std::printf("\n  10%% loss: %s\n", detail.c_str());
    CPPUNIT_ASSERT_MESSAGE(detail, rs.recovered > xr.recovered);
    CPPUNIT_ASSERT_MESSAGE(detail, within(rs.latency, 20000) > within(xr.latency, 20000));
    CPPUNIT_ASSERT_MESSAGE(detail, percentile(rs.latency, 0.9) <= 20000);
    CPPUNIT_ASSERT_MESSAGE(detail, percentile(rs.latency, 0.99) < percentile(xr.latency, 0.99));
    // DELIVERED tells the sender which messages parity completed: their rebuilt fragments are
    // not resent (XOR to a version-1 peer resends them all: nothing says they were rebuilt).
    CPPUNIT_ASSERT_MESSAGE(
        detail + ", resent " + std::to_string(rs.resent) + " vs " + std::to_string(xr.resent),
        rs.resent < xr.resent);
  }

  void testBurstsAreMeasured() {
    // Gilbert-Elliott loss (good->bad 4%, bad->good 40%: runs of 2.5 datagrams, ~9% loss) reads as
    // bursty; the same rate at random does not. Screen updates flow server -> client.
    auto burst = [](const ImpairmentConfig& path) {
      UdpOptions o;
      SimulatedLink link(o, path, path, 5);
      uint32_t n = 0;
      link.setHook(
          [&](uint64_t now) -> uint64_t {
            if (link.client->established()) {
              sendTo(*link.server, numbered(n, 15000), MessageClass::kDroppable, 0, n, now);
              ++n;
            }
            return now + 33333;
          },
          1);
      link.runUntil(8000000);
      return link.server->lossBurst();
    };
    ImpairmentConfig bursty;
    bursty.delayUs = 10000;
    bursty.burstP = 0.04;
    bursty.burstR = 0.4;
    ImpairmentConfig random;
    random.delayUs = 10000;
    random.lossPct = 9;
    const double b = burst(bursty), r = burst(random);
    std::printf("\n  mean loss run: Gilbert-Elliott %.2f, random %.2f\n", b, r);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(b), b >= 1.8);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(r), r == 1.0);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReedSolomonTest);
