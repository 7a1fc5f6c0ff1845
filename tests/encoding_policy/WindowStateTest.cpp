#include "WindowStateTest.h"

#include "policy_fixtures.hpp"

using namespace rdk::encoding;
using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(WindowStateTest);

void WindowStateTest::testDecodeErrorBackoff() {
  // Xpra 3.1.3: full refresh after min(1000, 250 + 100 * errors) ms.
  const struct {
    uint32_t errors;
    uint64_t delayMs;
  } table[] = {{1, 350}, {2, 450}, {5, 750}, {7, 950}, {8, 1000}, {20, 1000}};
  for (const auto& row : table) {
    WindowEncodingState w({}, 640, 480, kStart);
    uint64_t now = kStart;
    for (uint32_t i = 0; i < row.errors; ++i)
      w.onDecodeError(now);
    CPPUNIT_ASSERT(w.keyframeWanted());
    CPPUNIT_ASSERT_EQUAL(row.errors, w.decodeErrors());
    CPPUNIT_ASSERT_EQUAL(now + row.delayMs * kMs, w.refreshAtUs());
    CPPUNIT_ASSERT(!w.refreshDue(now + row.delayMs * kMs - 1));
    CPPUNIT_ASSERT(w.refreshDue(now + row.delayMs * kMs));
  }
}

void WindowStateTest::testRefreshFollowsLastChange() {
  WindowEncodingState w({}, 640, 480, kStart);
  Choice lossy;
  lossy.encoding = "any-lossy";
  Choice lossless;
  lossless.encoding = "any-lossless";
  lossless.lossless = true;
  const uint64_t t = kStart + 1000 * kMs;
  // Lossless updates never schedule a refresh.
  w.onDamage({0, 0, 100, 100}, t);
  w.onEncoded(lossless, {0, 0, 100, 100}, t);
  CPPUNIT_ASSERT_EQUAL(uint64_t(0), w.refreshAtUs());
  // A lossy one does, 150 ms after the last change; more changes push it back.
  w.onEncoded(lossy, {0, 0, 100, 100}, t);
  CPPUNIT_ASSERT_EQUAL(t + 150 * kMs, w.refreshAtUs());
  w.onDamage({0, 0, 100, 100}, t + 100 * kMs);
  CPPUNIT_ASSERT(!w.refreshDue(t + 150 * kMs));
  CPPUNIT_ASSERT(w.refreshDue(t + 250 * kMs));
  // A lossless paint of part of the window does not settle it; a full-window one does.
  w.onEncoded(lossless, {0, 0, 100, 100}, t + 260 * kMs);
  CPPUNIT_ASSERT(w.refreshDue(t + 260 * kMs));
  w.onEncoded(lossless, {0, 0, 640, 480}, t + 260 * kMs);
  CPPUNIT_ASSERT_EQUAL(uint64_t(0), w.refreshAtUs());
  // Configurable delay.
  Settings s;
  s.autoRefreshDelayUs = 400 * kMs;
  WindowEncodingState slow(s, 640, 480, kStart);
  slow.onDamage({0, 0, 10, 10}, t);
  slow.onEncoded(lossy, {0, 0, 10, 10}, t);
  CPPUNIT_ASSERT_EQUAL(t + 400 * kMs, slow.refreshAtUs());
}

void WindowStateTest::testMotionNeedsToBeSustained() {
  WindowEncodingState w({}, 1280, 720, kStart);
  uint64_t now = kStart + 1000 * kMs;
  // 30 fps of a quarter of the window: sustained only after 500 ms.
  for (int i = 0; i < 10; ++i, now += 33 * kMs)
    w.onDamage({0, 0, 640, 360}, now);
  CPPUNIT_ASSERT(!w.sustainedMotion(now));
  for (int i = 0; i < 10; ++i, now += 33 * kMs)
    w.onDamage({0, 0, 640, 360}, now);
  CPPUNIT_ASSERT(w.sustainedMotion(now));
  CPPUNIT_ASSERT(w.damageFps(now) >= 19.0);
  // Stops when the damage stops.
  CPPUNIT_ASSERT(!w.sustainedMotion(now + 400 * kMs));
  // A pause longer than two frame intervals restarts the clock.
  now += 400 * kMs;
  for (int i = 0; i < 10; ++i, now += 33 * kMs)
    w.onDamage({0, 0, 640, 360}, now);
  CPPUNIT_ASSERT(!w.sustainedMotion(now));
  // Fast but tiny changes are text, not motion.
  WindowEncodingState text({}, 1280, 720, kStart);
  now = kStart + 1000 * kMs;
  for (int i = 0; i < 40; ++i, now += 25 * kMs)
    text.onDamage({i * 8, 0, 8, 16}, now);
  CPPUNIT_ASSERT(text.textLike(now));
  CPPUNIT_ASSERT(!text.sustainedMotion(now));
  // Slow large changes (a slideshow) are not motion either.
  WindowEncodingState slides({}, 1280, 720, kStart);
  now = kStart + 1000 * kMs;
  for (int i = 0; i < 5; ++i, now += 200 * kMs)
    slides.onDamage({0, 0, 1280, 720}, now);
  CPPUNIT_ASSERT(!slides.sustainedMotion(now));
}

void WindowStateTest::testKeyframeWanted() {
  WindowEncodingState w({}, 640, 480, kStart);
  CPPUNIT_ASSERT(w.keyframeWanted());  // a new stream
  Choice video;
  video.encoding = "any-video";
  video.video = true;
  w.onEncoded(video, {0, 0, 640, 480}, kStart);
  CPPUNIT_ASSERT(!w.keyframeWanted());
  w.onLost(kStart + 5);
  CPPUNIT_ASSERT(w.keyframeWanted());
  CPPUNIT_ASSERT_EQUAL(kStart + 5, w.lastLossUs());
  w.onEncoded(video, {0, 0, 640, 480}, kStart + 10);
  w.onResize(800, 600, kStart + 20);
  CPPUNIT_ASSERT(w.keyframeWanted());
  CPPUNIT_ASSERT(w.recentlyResized(kStart + 20 + 349 * kMs));
  CPPUNIT_ASSERT(!w.recentlyResized(kStart + 20 + 350 * kMs));
  w.onResize(800, 600, kStart + 500 * kMs);  // same size: not a resize
  CPPUNIT_ASSERT(!w.recentlyResized(kStart + 700 * kMs));
}

void WindowStateTest::testAckBookkeeping() {
  WindowEncodingState w({}, 640, 480, kStart);
  w.onAck(800, kStart);
  CPPUNIT_ASSERT_EQUAL(uint64_t(800), w.meanDecodeUs());
  w.onAck(0, kStart);  // painting skipped: no information
  CPPUNIT_ASSERT_EQUAL(uint64_t(800), w.meanDecodeUs());
  w.onAck(1600, kStart);
  CPPUNIT_ASSERT_EQUAL(uint64_t(900), w.meanDecodeUs());
  w.onAck(-1, kStart);  // damage-sequence decode_time -1: a decode error
  CPPUNIT_ASSERT_EQUAL(uint32_t(1), w.decodeErrors());
  CPPUNIT_ASSERT(w.keyframeWanted());
  CPPUNIT_ASSERT_EQUAL(kStart + 350 * kMs, w.refreshAtUs());
}
