#include "DamageBatcherTest.h"

#include "rdk/encoding/damage_batcher.h"
#include "rdk/encoding/video_region.h"

using namespace rdk::encoding;

CPPUNIT_TEST_SUITE_REGISTRATION(DamageBatcherTest);

namespace {
constexpr uint64_t kMs = 1000;
constexpr uint64_t kT = 50'000'000;
}  // namespace

void DamageBatcherTest::testMergeTable() {
  struct Row {
    const char* what;
    std::vector<Rect> in;
    size_t maxRects;
    std::vector<Rect> out;
  };
  const std::vector<Row> rows = {
      {"disjoint stay apart",
       {{0, 0, 10, 10}, {50, 50, 10, 10}},
       16,
       {{0, 0, 10, 10}, {50, 50, 10, 10}}},
      {"overlap joins", {{0, 0, 10, 10}, {5, 5, 10, 10}}, 16, {{0, 0, 15, 15}}},
      {"touching joins", {{0, 0, 10, 10}, {10, 0, 10, 10}}, 16, {{0, 0, 20, 10}}},
      {"bridge joins three",
       {{0, 0, 10, 10}, {30, 0, 10, 10}, {8, 0, 24, 5}},
       16,
       {{0, 0, 40, 10}}},
      {"contained disappears", {{0, 0, 100, 100}, {10, 10, 5, 5}}, 16, {{0, 0, 100, 100}}},
      {"empty ignored", {{0, 0, 10, 10}, {3, 3, 0, 7}}, 16, {{0, 0, 10, 10}}},
      {"too many: the nearest join",
       {{0, 0, 1, 1}, {5, 0, 1, 1}, {20, 0, 1, 1}},
       2,
       {{0, 0, 6, 1}, {20, 0, 1, 1}}},
      {"too many, max 1: one box",
       {{0, 0, 1, 1}, {10, 0, 1, 1}, {20, 0, 1, 1}},
       1,
       {{0, 0, 21, 1}}},
      {"negative origin", {{-5, -5, 10, 10}, {4, 4, 2, 2}}, 16, {{-5, -5, 11, 11}}},
  };
  for (const auto& row : rows) {
    std::vector<Rect> rects;
    for (const auto& r : row.in)
      mergeRect(rects, r, row.maxRects);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(row.what, row.out.size(), rects.size());
    for (const auto& expected : row.out) {
      bool found = false;
      for (const auto& got : rects)
        found = found || got == expected;
      CPPUNIT_ASSERT_MESSAGE(row.what, found);
    }
  }
}

void DamageBatcherTest::testManyRectsKeepDistantAreasApart() {
  // Measured on Xvfb (bench/pipeline/regions.sh, ico workload): a spinning ico and a ticking
  // xclock in one batch, more rectangles than maxRects; they went as one 1676x634 picture.
  const Rect ico{111, 108, 580, 592};
  const Rect clock{1500, 66, 288, 290};
  std::vector<Rect> in{ico};
  for (int i = 0; i < 20; ++i)
    in.push_back({clock.x + 14 * i, clock.y + 14 * i, 9, 9});  // the hands, a few pixels each
  std::vector<Rect> rects;
  for (const Rect& r : in)
    mergeRect(rects, r, 16);
  CPPUNIT_ASSERT(rects.size() <= 16);
  uint64_t total = 0;
  for (const Rect& r : rects) {
    CPPUNIT_ASSERT_MESSAGE("a picture spans the ico and the clock",
                           intersect(r, ico).empty() || intersect(r, clock).empty());
    total += r.pixels();
  }
  CPPUNIT_ASSERT(total <= ico.pixels() + clock.pixels());
  for (const Rect& r : in) {
    bool covered = false;
    for (const Rect& got : rects)
      covered = covered || intersect(got, r) == r;
    CPPUNIT_ASSERT(covered);
  }
}

void DamageBatcherTest::testMergeStaysBoundedUnderFlood() {
  // Thousands of scattered rectangles: at most maxRects, every damaged pixel still covered.
  std::vector<Rect> rects, in;
  uint32_t seed = 12345;
  for (int i = 0; i < 3000; ++i) {
    seed = seed * 1103515245u + 12345u;
    const int32_t x = static_cast<int32_t>((seed >> 8) % 1900);
    seed = seed * 1103515245u + 12345u;
    const int32_t y = static_cast<int32_t>((seed >> 8) % 1060);
    in.push_back({x, y, 1 + (seed % 20), 1 + ((seed >> 5) % 20)});
    mergeRect(rects, in.back(), 16);
    CPPUNIT_ASSERT(rects.size() <= 16);
  }
  for (const Rect& r : in) {
    bool covered = false;
    for (const Rect& got : rects)
      covered = covered || intersect(got, r) == r;
    CPPUNIT_ASSERT(covered);
  }
}

void DamageBatcherTest::testBatchDelayAndFrameRateCap() {
  BatchSettings s;
  s.maxFps = 25;  // 40 ms
  s.batchDelayUs = 5 * kMs;
  s.loneDamageAtOnce = false;  // the delay on every batch (the lone case has tests of its own)
  DamageBatcher b(s);
  CPPUNIT_ASSERT(!b.nextWakeUs(kT).has_value());
  b.damage(1, {0, 0, 10, 10}, kT);
  b.damage(1, {5, 0, 10, 10}, kT + 1 * kMs);
  CPPUNIT_ASSERT(b.due(kT + 4 * kMs).empty());  // still batching
  CPPUNIT_ASSERT_EQUAL(kT + 5 * kMs, *b.nextWakeUs(kT + 4 * kMs));
  auto batches = b.due(kT + 5 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), batches[0].wid);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches[0].rects.size());
  CPPUNIT_ASSERT(batches[0].rects[0] == (Rect{0, 0, 15, 10}));
  CPPUNIT_ASSERT(b.due(kT + 6 * kMs).empty());  // nothing new
  // New damage right away waits for the frame interval (40 ms after the last release).
  b.damage(1, {0, 0, 1, 1}, kT + 10 * kMs);
  CPPUNIT_ASSERT(b.due(kT + 44 * kMs).empty());
  CPPUNIT_ASSERT_EQUAL(kT + 45 * kMs, *b.nextWakeUs(kT + 44 * kMs));
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT + 45 * kMs).size());
}

void DamageBatcherTest::testBackPressureSkipsFrames() {
  BatchSettings s;
  s.maxPendingPackets = 2;
  s.maxFps = 1000;
  s.batchDelayUs = 0;
  DamageBatcher b(s);
  uint64_t now = kT;
  uint64_t seq = 1;
  // Three frames go out unacknowledged: the window is now over its budget.
  for (int i = 0; i < 3; ++i, now += 2 * kMs) {
    b.damage(7, {0, 0, 10, 10}, now);
    CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(now).size());
    b.onSent(7, seq++, now);
  }
  CPPUNIT_ASSERT(b.backPressured(7, now));
  // Further damage is held and merged: those frames are skipped.
  b.damage(7, {0, 0, 10, 10}, now);
  CPPUNIT_ASSERT(b.due(now + 1 * kMs).empty());
  b.damage(7, {20, 20, 10, 10}, now + 2 * kMs);
  b.damage(7, {40, 40, 10, 10}, now + 3 * kMs);
  CPPUNIT_ASSERT(b.due(now + 4 * kMs).empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t(2), b.skippedFrames(7));
  // The client catches up (acks are cumulative): one frame carries all the held damage.
  b.onAck(7, 2, now + 5 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.pendingPackets(7));
  CPPUNIT_ASSERT(!b.backPressured(7, now + 5 * kMs));
  auto batches = b.due(now + 5 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches.size());
  CPPUNIT_ASSERT_EQUAL(size_t(3), batches[0].rects.size());
}

void DamageBatcherTest::testAckLagAndGiveUp() {
  BatchSettings s;
  s.maxAckLagUs = 300 * kMs;
  s.ackGiveUpUs = 2000 * kMs;
  s.batchDelayUs = 0;
  DamageBatcher b(s);
  b.onSent(3, 1, kT);
  b.damage(3, {0, 0, 5, 5}, kT + 10 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT + 100 * kMs).size());  // one pending ack is fine
  b.damage(3, {0, 0, 5, 5}, kT + 310 * kMs);
  CPPUNIT_ASSERT(b.backPressured(3, kT + 310 * kMs));  // that ack is now 310 ms late
  CPPUNIT_ASSERT(b.due(kT + 310 * kMs).empty());
  // A lost packet is no longer waited for.
  b.onLost(3, 1);
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT + 320 * kMs).size());
  // An ack that never comes is given up after ackGiveUpUs, so the window cannot freeze.
  b.onSent(3, 2, kT + 320 * kMs);
  b.damage(3, {0, 0, 5, 5}, kT + 700 * kMs);
  CPPUNIT_ASSERT(b.due(kT + 700 * kMs).empty());
  const uint64_t wake = *b.nextWakeUs(kT + 700 * kMs);
  CPPUNIT_ASSERT(wake > kT + 2320 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(wake).size());
}

void DamageBatcherTest::testWindowsAreIndependent() {
  BatchSettings s;
  s.maxPendingPackets = 0;
  s.batchDelayUs = 0;
  DamageBatcher b(s);
  b.onSent(1, 1, kT);  // window 1 is congested
  b.damage(1, {0, 0, 5, 5}, kT);
  b.damage(2, {0, 0, 5, 5}, kT);
  auto batches = b.due(kT);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t(2), batches[0].wid);
  b.removeWindow(1);
  CPPUNIT_ASSERT(!b.nextWakeUs(kT).has_value());
  CPPUNIT_ASSERT_EQUAL(uint64_t(0), b.skippedFrames(1));
}

void DamageBatcherTest::testLoneDamageGoesOutAtOnce() {
  BatchSettings s;  // defaults: 5 ms batch delay, 30 fps
  DamageBatcher b(s);
  // A keystroke's echo on an idle window: no batch delay.
  b.damage(4, {8, 16, 8, 16}, kT);
  CPPUNIT_ASSERT_EQUAL(kT, *b.nextWakeUs(kT));
  auto batches = b.due(kT);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches.size());
  CPPUNIT_ASSERT(batches[0].rects[0] == (Rect{8, 16, 8, 16}));
  b.onSent(4, 1, kT);
  b.onAck(4, 1, kT + 3 * kMs);
  // The next key 100 ms later: quiet again, at once again.
  b.damage(4, {16, 16, 8, 16}, kT + 100 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT + 100 * kMs).size());
  // Several rectangles of the same poll go together.
  b.onSent(4, 2, kT + 100 * kMs);
  b.onAck(4, 2, kT + 102 * kMs);
  b.damage(4, {24, 16, 8, 16}, kT + 200 * kMs);
  b.damage(4, {200, 16, 8, 16}, kT + 200 * kMs);
  batches = b.due(kT + 200 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches.size());
  CPPUNIT_ASSERT_EQUAL(size_t(2), batches[0].rects.size());
}

void DamageBatcherTest::testSustainedDamageIsBatched() {
  BatchSettings s;
  s.maxFps = 1000;  // only the batch delay is looked at here
  s.batchDelayUs = 5 * kMs;
  DamageBatcher b(s);
  uint64_t seq = 0;
  // Damage that keeps coming every 2 ms: the first goes at once, the rest wait the delay.
  b.damage(1, {0, 0, 4, 4}, kT);
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT).size());
  b.onSent(1, ++seq, kT);
  b.onAck(1, seq, kT + 1 * kMs);
  b.damage(1, {0, 0, 4, 4}, kT + 2 * kMs);
  CPPUNIT_ASSERT(b.due(kT + 2 * kMs).empty());
  b.damage(1, {4, 0, 4, 4}, kT + 4 * kMs);
  CPPUNIT_ASSERT(b.due(kT + 6 * kMs).empty());
  CPPUNIT_ASSERT_EQUAL(kT + 7 * kMs, *b.nextWakeUs(kT + 6 * kMs));
  auto batches = b.due(kT + 7 * kMs);
  CPPUNIT_ASSERT_EQUAL(size_t(1), batches.size());
  CPPUNIT_ASSERT(batches[0].rects[0] == (Rect{0, 0, 8, 4}));

  // A draw still unacknowledged: the client is busy, so even a quiet window batches.
  b.onSent(1, ++seq, kT + 7 * kMs);
  b.damage(1, {0, 0, 4, 4}, kT + 100 * kMs);
  CPPUNIT_ASSERT(b.due(kT + 100 * kMs).empty());
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT + 105 * kMs).size());
  b.onAck(1, seq, kT + 106 * kMs);

  // Quiet gaps (10 ms) but many batches: after loneDamageMaxPerSecond in one second, they wait.
  DamageBatcher r(s);
  uint64_t now = kT;
  uint64_t atOnce = 0;
  for (int i = 0; i < 80; ++i, now += 10 * kMs) {
    r.damage(2, {0, 0, 4, 4}, now);
    if (!r.due(now).empty())
      ++atOnce;
    else
      CPPUNIT_ASSERT_EQUAL(size_t(1), r.due(now + 5 * kMs).size());
  }
  CPPUNIT_ASSERT_EQUAL(uint64_t(s.loneDamageMaxPerSecond), atOnce);
  // A second later the window counts as quiet again.
  now += 1000 * kMs;
  r.damage(2, {0, 0, 4, 4}, now);
  CPPUNIT_ASSERT_EQUAL(size_t(1), r.due(now).size());
}

void DamageBatcherTest::testLoneDamageCanBeTurnedOff() {
  BatchSettings s;
  s.loneDamageAtOnce = false;
  DamageBatcher b(s);
  b.damage(4, {0, 0, 8, 8}, kT);
  CPPUNIT_ASSERT(b.due(kT).empty());
  CPPUNIT_ASSERT_EQUAL(size_t(1), b.due(kT + s.batchDelayUs).size());
}
