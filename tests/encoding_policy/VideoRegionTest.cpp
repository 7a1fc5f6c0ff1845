#include "VideoRegionTest.h"

#include <cstdlib>
#include <random>

#include "policy_fixtures.hpp"
#include "rdk/encoding/region_policy.h"
#include "rdk/encoding/video_region.h"

using namespace rdk::encoding;
using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(VideoRegionTest);

namespace {

constexpr uint64_t kFrameUs = 33'333;  // 30 frames/s

// Asserts |r| is within |tolerance| px of |expected| on every edge.
void assertNear(const Rect& expected, const Rect& r, int64_t tolerance, const std::string& what) {
  const auto off = [](int64_t a, int64_t b) { return std::llabs(a - b); };
  const bool ok = off(r.x, expected.x) <= tolerance && off(r.y, expected.y) <= tolerance &&
                  off(int64_t{r.x} + r.w, int64_t{expected.x} + expected.w) <= tolerance &&
                  off(int64_t{r.y} + r.h, int64_t{expected.y} + expected.h) <= tolerance;
  CPPUNIT_ASSERT_MESSAGE(what + ": got " + std::to_string(r.x) + "," + std::to_string(r.y) + " " +
                             std::to_string(r.w) + "x" + std::to_string(r.h),
                         ok);
}

// A 96x96 square bouncing inside |box| (velocity 23,17 px per frame), as damage: its old and
// new positions, like XDamage reports a moved sprite.
struct Bouncer {
  Rect box;
  int32_t x, y, vx = 23, vy = 17;
  static constexpr uint32_t kSide = 96;
  explicit Bouncer(Rect b) : box(b), x(b.x), y(b.y) {}
  std::vector<Rect> step() {
    const Rect before{x, y, kSide, kSide};
    x += vx;
    y += vy;
    if (x < box.x || x + int32_t{kSide} > box.x + int32_t(box.w)) {
      vx = -vx;
      x = std::clamp<int32_t>(x, box.x, box.x + int32_t(box.w - kSide));
    }
    if (y < box.y || y + int32_t{kSide} > box.y + int32_t(box.h)) {
      vy = -vy;
      y = std::clamp<int32_t>(y, box.y, box.y + int32_t(box.h - kSide));
    }
    return {before, Rect{x, y, kSide, kSide}};
  }
};

// Static page furniture that changes now and then: a clock once a second, a cursor at 2 Hz.
void furniture(std::vector<Rect>& rects, int frame) {
  if (frame % 30 == 0)
    rects.push_back({1100, 8, 120, 20});
  if (frame % 15 == 0)
    rects.push_back({40, 600, 8, 16});
}

}  // namespace

void VideoRegionTest::testMovingRectangleOnStaticPage() {
  VideoRegionDetector d({}, 1280, 720);
  uint64_t now = kStart;
  d.onFrame({{0, 0, 1280, 720}}, now);  // the first paint of the page
  CPPUNIT_ASSERT(d.update(now) == RegionEvent::kNone);
  now += 2'000'000;  // the page sits still
  CPPUNIT_ASSERT(d.update(now) == RegionEvent::kNone);

  const Rect box{405, 203, 480, 360};
  Bouncer ball(box);
  const uint64_t motionStart = now;
  uint64_t foundAt = 0;
  int started = 0, moved = 0;
  for (int frame = 0; frame < 90; ++frame, now += kFrameUs) {  // 3 s of motion
    std::vector<Rect> rects = ball.step();
    furniture(rects, frame);
    d.onFrame(rects, now);
    const RegionEvent e = d.update(now);
    started += e == RegionEvent::kStarted;
    moved += e == RegionEvent::kMoved;
    if (d.region() && foundAt == 0)
      foundAt = now;
    CPPUNIT_ASSERT(e != RegionEvent::kEnded);
  }
  CPPUNIT_ASSERT_MESSAGE(d.why(), foundAt != 0);
  CPPUNIT_ASSERT_MESSAGE("found after " + std::to_string((foundAt - motionStart) / 1000) + " ms",
                         foundAt - motionStart <= 1'000'000);
  assertNear(box, *d.region(), 16, "bouncing square");
  CPPUNIT_ASSERT_EQUAL(1, started);
  CPPUNIT_ASSERT_EQUAL(0, moved);  // stable while it plays: the encoder keeps its size
  CPPUNIT_ASSERT(d.why().find("video region") != std::string::npos);

  // Motion stops, the clock goes on: the region ends within settleUs (+ one frame).
  const Rect was = *d.region();
  const uint64_t stoppedAt = now;
  uint64_t endedAt = 0;
  for (int frame = 0; frame < 60 && endedAt == 0; ++frame, now += kFrameUs) {
    std::vector<Rect> rects;
    furniture(rects, frame);
    if (!rects.empty())
      d.onFrame(rects, now);
    if (d.update(now) == RegionEvent::kEnded)
      endedAt = now;
  }
  CPPUNIT_ASSERT(endedAt != 0);
  CPPUNIT_ASSERT(endedAt - stoppedAt <= 300'000 + 2 * kFrameUs);
  CPPUNIT_ASSERT(!d.region());
  CPPUNIT_ASSERT(d.previousRegion() == was);
  // And does not come back from the stale history.
  for (int i = 0; i < 40; ++i, now += kFrameUs)
    CPPUNIT_ASSERT(d.update(now) == RegionEvent::kNone);
}

void VideoRegionTest::testVideoPlayerArea() {
  // A 640x360 video at an odd position, every frame repainted entirely.
  VideoRegionDetector d({}, 1920, 1080);
  const Rect video{101, 77, 640, 360};
  uint64_t now = kStart;
  uint64_t foundAt = 0;
  for (int frame = 0; frame < 30; ++frame, now += kFrameUs) {
    std::vector<Rect> rects{video};
    furniture(rects, frame);
    d.onFrame(rects, now);
    d.update(now);
    if (d.region() && foundAt == 0)
      foundAt = now;
  }
  CPPUNIT_ASSERT(foundAt != 0 && foundAt - kStart <= 500'000);
  // Exact damage edges, snapped to even for the encoders' chroma subsampling.
  CPPUNIT_ASSERT(*d.region() == (Rect{100, 76, 642, 362}));
  assertNear(video, *d.region(), 2, "video player");
}

void VideoRegionTest::testScatteredSmallDamageNoRegion() {
  // Typing and glyph updates all over a page, a blinking cursor, a clock: never video.
  VideoRegionDetector d({}, 1280, 720);
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> col(0, 159), row(0, 44);
  uint64_t now = kStart;
  for (int frame = 0; frame < 150; ++frame, now += kFrameUs) {
    std::vector<Rect> rects;
    for (int i = 0; i < 6; ++i)
      rects.push_back({col(rng) * 8, row(rng) * 16, 8, 16});
    furniture(rects, frame);
    d.onFrame(rects, now);
    CPPUNIT_ASSERT(d.update(now) == RegionEvent::kNone);
    CPPUNIT_ASSERT(!d.region());
  }
  // A cursor blinking fast in one place is hot but far too small.
  for (int frame = 0; frame < 60; ++frame, now += kFrameUs) {
    d.onFrame({{300, 300, 8, 16}}, now);
    CPPUNIT_ASSERT(d.update(now) == RegionEvent::kNone);
  }
  CPPUNIT_ASSERT_MESSAGE(d.why(), d.why().find("too small") != std::string::npos);
}

void VideoRegionTest::testWholeWindowMotion() {
  VideoRegionDetector d({}, 1281, 721);  // odd sizes: the region stays inside, even
  uint64_t now = kStart;
  for (int frame = 0; frame < 20; ++frame, now += kFrameUs) {
    d.onFrame({{0, 0, 1281, 721}}, now);
    d.update(now);
  }
  CPPUNIT_ASSERT(d.region());
  CPPUNIT_ASSERT(*d.region() == (Rect{0, 0, 1280, 720}));
  d.resize(800, 600);
  CPPUNIT_ASSERT(!d.region());
  CPPUNIT_ASSERT_EQUAL(size_t(0), d.framesTouching({0, 0, 800, 600}));
}

void VideoRegionTest::testRegionMoves() {
  // The video window is dragged elsewhere: the region follows (kMoved), keeping its size.
  VideoRegionDetector d({}, 1920, 1080);
  uint64_t now = kStart;
  for (int frame = 0; frame < 30; ++frame, now += kFrameUs) {
    d.onFrame({{200, 200, 320, 240}}, now);
    d.update(now);
  }
  CPPUNIT_ASSERT(d.region() && *d.region() == (Rect{200, 200, 320, 240}));
  // Small jitter of the damage keeps the region as it is.
  for (int frame = 0; frame < 10; ++frame, now += kFrameUs) {
    d.onFrame({{204, 198, 320, 244}}, now);
    CPPUNIT_ASSERT(d.update(now) == RegionEvent::kNone);
  }
  bool moved = false;
  for (int frame = 0; frame < 90 && !moved; ++frame, now += kFrameUs) {
    d.onFrame({{1000, 600, 320, 240}}, now);
    const RegionEvent e = d.update(now);
    CPPUNIT_ASSERT(e != RegionEvent::kEnded || !d.region());
    moved = d.region() && *d.region() == (Rect{1000, 600, 320, 240});
  }
  CPPUNIT_ASSERT_MESSAGE(d.why(), moved);
}

void VideoRegionTest::testBoundedUnderFlood() {
  // Thousands of rectangles per frame at 1000 frames/s: bounded history, still a region.
  RegionSettings s;
  VideoRegionDetector d(s, 1920, 1080);
  uint64_t now = kStart;
  for (int frame = 0; frame < 400; ++frame, now += 1000) {
    std::vector<Rect> rects;
    for (int i = 0; i < 2000; ++i)
      rects.push_back({(i * 37) % 1900, (i * 53) % 1060, 20, 20});
    d.onFrame(rects, now);
    d.update(now);
  }
  CPPUNIT_ASSERT(d.framesTouching({0, 0, 1920, 1080}) <= s.maxFrames);
  // Out-of-window and empty rectangles are ignored, never crash.
  d.onFrame({{-50, -50, 10, 10}, {5000, 5000, 10, 10}, {0, 0, 0, 10}}, now);
  VideoRegionDetector empty(s, 0, 0);
  empty.onFrame({{0, 0, 10, 10}}, now);
  CPPUNIT_ASSERT(empty.update(now) == RegionEvent::kNone);
  // A huge window gets coarser cells instead of a huge grid.
  VideoRegionDetector huge(s, 16384, 16384);
  CPPUNIT_ASSERT_EQUAL(uint32_t(64), huge.cellSize());
}

void VideoRegionTest::testRectHelpers() {
  CPPUNIT_ASSERT(intersect({0, 0, 10, 10}, {5, 5, 10, 10}) == (Rect{5, 5, 5, 5}));
  CPPUNIT_ASSERT(intersect({0, 0, 10, 10}, {10, 0, 10, 10}).empty());
  const auto parts = subtract({0, 0, 100, 100}, {20, 30, 40, 50});
  uint64_t area = 0;
  for (const Rect& p : parts) {
    CPPUNIT_ASSERT(intersect(p, {20, 30, 40, 50}).empty());
    area += p.pixels();
  }
  CPPUNIT_ASSERT_EQUAL(uint64_t(100 * 100 - 40 * 50), area);
  CPPUNIT_ASSERT_EQUAL(size_t(4), parts.size());
  CPPUNIT_ASSERT_EQUAL(size_t(1), subtract({0, 0, 10, 10}, {50, 50, 5, 5}).size());
  CPPUNIT_ASSERT(subtract({0, 0, 10, 10}, {0, 0, 10, 10}).empty());
}

void VideoRegionTest::testPlanSplitsAroundRegion() {
  const Selector selector(softwareCandidates(), xpraClientEncodings());
  WindowEncodingState window(selector.settings(), 1920, 1080, kStart);
  VideoRegionDetector d({}, 1920, 1080);
  ScrollHistory scrolls;
  const Rect video{400, 300, 640, 360};
  uint64_t now = kStart + 1'000'000;
  for (int frame = 0; frame < 30; ++frame, now += kFrameUs) {
    window.onDamage(video, now);
    d.onFrame({video}, now);
    d.update(now);
  }
  CPPUNIT_ASSERT(d.region());
  // Damage across the region's edge plus a clock: one video draw of exactly the region, the
  // pieces around it lossless stills.
  const std::vector<Rect> batch{{300, 250, 840, 460}, {1700, 10, 120, 20}};
  const BatchPlan plan = planBatch(selector, window, d, scrolls, batch, {}, now);
  CPPUNIT_ASSERT(plan.videoRegion && *plan.videoRegion == *d.region());
  int videos = 0;
  uint64_t stillPixels = 0;
  for (const PlannedDraw& p : plan.draws) {
    if (p.choice.video) {
      ++videos;
      CPPUNIT_ASSERT(p.rect == *d.region());
    } else {
      CPPUNIT_ASSERT_MESSAGE(p.choice.reason, p.choice.lossless);
      CPPUNIT_ASSERT(intersect(p.rect, *d.region()).empty());
      stillPixels += p.rect.pixels();
    }
  }
  CPPUNIT_ASSERT_EQUAL(1, videos);
  CPPUNIT_ASSERT_EQUAL(uint64_t(840 * 460 - 640 * 360 + 120 * 20), stillPixels);

  // Damage elsewhere only: no video draw at all.
  const BatchPlan away = planBatch(selector, window, d, scrolls, {{1700, 10, 120, 20}}, {}, now);
  CPPUNIT_ASSERT(!away.videoRegion);
  CPPUNIT_ASSERT_EQUAL(size_t(1), away.draws.size());

  // The area scrolled recently: no video, whatever the motion (a scroll draw is cheaper).
  scrolls.area = {0, 0, 1920, 1080};
  scrolls.lastUs = now - 1'000'000;
  const BatchPlan scrolled = planBatch(selector, window, d, scrolls, batch, {}, now);
  CPPUNIT_ASSERT(!scrolled.videoRegion);
  for (const PlannedDraw& p : scrolled.draws)
    CPPUNIT_ASSERT(!p.choice.video);
  CPPUNIT_ASSERT(scrolled.why.find("scrolled") != std::string::npos);

  // Few colours in the moving area (text, drawings): pictures, not video; many: video.
  RegionContent content;
  content.area = *d.region();
  content.colours = 12;
  const BatchPlan flat = planBatch(selector, window, d, {}, batch, {}, now, &content);
  CPPUNIT_ASSERT(!flat.videoRegion);
  CPPUNIT_ASSERT_MESSAGE(flat.why, flat.why.find("12 colours") != std::string::npos);
  content.colours = content.minColours;
  CPPUNIT_ASSERT(planBatch(selector, window, d, {}, batch, {}, now, &content).videoRegion);
  content.area = {0, 0, 10, 10};  // sampled for another region: not used
  content.colours = 1;
  CPPUNIT_ASSERT(planBatch(selector, window, d, {}, batch, {}, now, &content).videoRegion);

  // No region and whole-window motion history: still no whole-window video (the old rule 2).
  VideoRegionDetector none({}, 1920, 1080);
  const BatchPlan stills = planBatch(selector, window, none, {}, batch, {}, now);
  for (const PlannedDraw& p : stills.draws)
    CPPUNIT_ASSERT(!p.choice.video);
}

void VideoRegionTest::testSampleColours() {
  // A two-colour "terminal" and a noisy "film", 640x480 BGRX.
  std::vector<uint8_t> text(640 * 480 * 4, 0xf0), film(640 * 480 * 4);
  std::mt19937 rng(9);
  for (size_t i = 0; i < text.size(); i += 4) {
    if (rng() % 5 == 0)
      text[i] = text[i + 1] = text[i + 2] = 0x20;
  }
  for (auto& b : film)
    b = static_cast<uint8_t>(rng());
  CPPUNIT_ASSERT_EQUAL(uint32_t(2), sampleColours(text.data(), 640 * 4, 640, 480, 64));
  CPPUNIT_ASSERT_EQUAL(uint32_t(64), sampleColours(film.data(), 640 * 4, 640, 480, 64));
  CPPUNIT_ASSERT_EQUAL(uint32_t(0), sampleColours(nullptr, 0, 0, 0, 64));
  CPPUNIT_ASSERT_EQUAL(uint32_t(1), sampleColours(film.data(), 4, 1, 1, 64));
}

void VideoRegionTest::testRefreshOnlyTheLossyArea() {
  // A lossy video region and a lossless clock ticking beside it: the refresh covers the region
  // only, and the clock does not push it back.
  WindowEncodingState w({}, 1920, 1080, kStart);
  Choice lossy;
  lossy.encoding = "any-video";
  lossy.video = true;
  Choice lossless;
  lossless.encoding = "any-lossless";
  lossless.lossless = true;
  const Rect region{400, 300, 640, 360};
  uint64_t t = kStart + 1'000'000;
  w.onDamage(region, t);
  w.onEncoded(lossy, region, t);
  CPPUNIT_ASSERT(w.refreshRegion() == region);
  w.onDamage({1700, 10, 120, 20}, t + 100'000);
  w.onEncoded(lossless, {1700, 10, 120, 20}, t + 100'000);
  CPPUNIT_ASSERT_EQUAL(t + 150'000, w.refreshAtUs());
  // Damage inside the lossy area does push it back.
  w.onDamage({500, 400, 10, 10}, t + 120'000);
  CPPUNIT_ASSERT_EQUAL(t + 270'000, w.refreshAtUs());
  Choice refresh = lossless;
  refresh.refresh = true;
  w.onEncoded(refresh, w.refreshRegion(), t + 300'000);
  CPPUNIT_ASSERT_EQUAL(uint64_t(0), w.refreshAtUs());
  // After a decode error the whole window is refreshed.
  w.onDecodeError(t + 400'000);
  CPPUNIT_ASSERT(w.refreshRegion() == (Rect{0, 0, 1920, 1080}));
}
