#include "EncodeTimesTest.h"

#include <string>

#include "policy_fixtures.hpp"
#include "rdk/encoding/encode_times.h"
#include "rdk/encoding/selector.h"

using namespace rdk::encoding;
using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(EncodeTimesTest);

namespace {
constexpr uint64_t kSecond = 1'000'000;
}  // namespace

void EncodeTimesTest::testMeanPerMegapixel() {
  EncodeTimes t;
  uint64_t now = kStart;
  t.record("a", 500'000, 5'000, now);  // 10 ms per megapixel
  t.record("a", 250'000, 2'500, now += 1000);
  CPPUNIT_ASSERT(t.usPerMegapixel("a", now).has_value());
  CPPUNIT_ASSERT_DOUBLES_EQUAL(10'000.0, *t.usPerMegapixel("a", now), 1.0);
  // A slower sample moves the mean a quarter of the way.
  t.record("a", 1'000'000, 50'000, now += 1000);
  CPPUNIT_ASSERT_DOUBLES_EQUAL(20'000.0, *t.usPerMegapixel("a", now), 1.0);
  CPPUNIT_ASSERT(!t.usPerMegapixel("b", now).has_value());
}

void EncodeTimesTest::testDecodeTimesAddToEncodeTimes() {
  EncodeTimes t;
  const uint64_t now = kStart;
  // Decode times alone are no estimate: the encode time decides whether one is known.
  t.recordDecode("a", 100'000, 3'000, now);
  t.recordDecode("a", 100'000, 3'000, now);
  CPPUNIT_ASSERT(!t.usPerMegapixel("a", now).has_value());
  t.record("a", 100'000, 1'000, now);
  t.record("a", 100'000, 1'000, now);
  CPPUNIT_ASSERT_DOUBLES_EQUAL(40'000.0, *t.usPerMegapixel("a", now), 1.0);
  // Forgotten decode times stop counting.
  t.record("a", 100'000, 1'000, now + EncodeTimes::kForgetUs);
  t.record("a", 100'000, 1'000, now + EncodeTimes::kForgetUs + 1);
  CPPUNIT_ASSERT_DOUBLES_EQUAL(10'000.0, *t.usPerMegapixel("a", now + EncodeTimes::kForgetUs + 1),
                               1.0);
}

void EncodeTimesTest::testSlowClientDecodeCounts() {
  // The spinning ico on Xvfb: two lossless encodings encode it equally fast, but the client's
  // acks say one decodes 5x slower; the client paints in order, so that one loses.
  std::vector<EncoderCandidate> invented(2);
  invented[0].name = "zz-deflate";
  invented[0].lossless = true;
  invented[0].rank = 40;
  invented[0].cost = 12;
  invented[1].name = "zz-raw";
  invented[1].lossless = true;
  invented[1].rank = 10;
  invented[1].cost = 1;
  Settings settings;
  settings.speed = 80;
  const Selector selector(invented, {"zz-deflate", "zz-raw"}, settings);
  WindowEncodingState window(settings, 1920, 1080, kStart);
  const Rect ico{104, 108, 593, 592};
  const uint64_t now = kStart + kSecond;
  for (const char* e : {"zz-deflate", "zz-raw"}) {
    window.onEncodeTime(e, ico.pixels(), 3'200, now);  // 9 ms per megapixel each
    window.onEncodeTime(e, ico.pixels(), 3'200, now);
  }
  CPPUNIT_ASSERT_EQUAL(std::string("zz-deflate"), selector.choose(window, ico, {}, now).encoding);
  for (int i = 0; i < 2; ++i) {
    window.onDecodeTime("zz-deflate", ico.pixels(), 10'500, now);  // 30 ms per megapixel
    window.onDecodeTime("zz-raw", ico.pixels(), 2'100, now);       // 6
  }
  CPPUNIT_ASSERT_EQUAL(std::string("zz-raw"), selector.choose(window, ico, {}, now).encoding);
}

void EncodeTimesTest::testSmallSamplesAndFewSamplesAreNoEstimate() {
  EncodeTimes t;
  // Below kMinPixels per-call overhead dominates: not learned.
  for (int i = 0; i < 10; ++i)
    t.record("a", EncodeTimes::kMinPixels - 1, 5'000, kStart + i);
  CPPUNIT_ASSERT(!t.usPerMegapixel("a", kStart + 10).has_value());
  t.record("a", 100'000, 1'000, kStart + 20);
  CPPUNIT_ASSERT(!t.usPerMegapixel("a", kStart + 20).has_value());  // one sample is no estimate
  t.record("a", 100'000, 1'000, kStart + 30);
  CPPUNIT_ASSERT(t.usPerMegapixel("a", kStart + 30).has_value());
  t.record("", 100'000, 1'000, kStart + 40);
  t.record("", 100'000, 1'000, kStart + 50);
  CPPUNIT_ASSERT(!t.usPerMegapixel("", kStart + 50).has_value());
}

void EncodeTimesTest::testForgottenAfterAPause() {
  EncodeTimes t;
  t.record("a", 100'000, 9'000, kStart);
  t.record("a", 100'000, 9'000, kStart + 1);
  CPPUNIT_ASSERT(t.usPerMegapixel("a", kStart + EncodeTimes::kForgetUs).has_value());
  CPPUNIT_ASSERT(!t.usPerMegapixel("a", kStart + 1 + EncodeTimes::kForgetUs + 1).has_value());
  // Samples after the pause start a new mean: the old content's times do not count.
  const uint64_t later = kStart + 2 * EncodeTimes::kForgetUs;
  t.record("a", 100'000, 100, later);
  t.record("a", 100'000, 100, later + 1);
  CPPUNIT_ASSERT_DOUBLES_EQUAL(1'000.0, *t.usPerMegapixel("a", later + 1), 1.0);
}

void EncodeTimesTest::testBoundedNumberOfEncodings() {
  EncodeTimes t;
  for (size_t i = 0; i < 10 * EncodeTimes::kMaxEncodings; ++i) {
    t.record("e" + std::to_string(i), 100'000, 1'000, kStart);
    t.record("e" + std::to_string(i), 100'000, 1'000, kStart);
  }
  size_t known = 0;
  for (size_t i = 0; i < 10 * EncodeTimes::kMaxEncodings; ++i)
    known += t.usPerMegapixel("e" + std::to_string(i), kStart).has_value() ? 1 : 0;
  CPPUNIT_ASSERT_EQUAL(EncodeTimes::kMaxEncodings, known);
}

void EncodeTimesTest::testMeasuredSlowLosslessLosesToFasterOnes() {
  // The xclock beside a spinning ico, as measured on Xvfb (bench/pipeline/regions.sh, 2-core
  // VM): a 271x271 lossless still at speed 80. By the features' figures webp wins, but its
  // encodes took 85 ms per megapixel where png took 9 and rgb24 9 (the policy chose webp for
  // every clock tick, and every ico frame queued behind it waited).
  Settings settings;
  settings.quality = 95;
  settings.speed = 80;
  const Selector selector(softwareCandidates(), xpraClientEncodings(), settings);
  WindowEncodingState window(settings, 1920, 1080, kStart);
  uint64_t now = kStart + kSecond;
  const Rect clock{1500, 50, 271, 271};
  CPPUNIT_ASSERT_EQUAL(std::string("webp"), selector.choose(window, clock, {}, now).encoding);

  window.onEncodeTime("webp", clock.pixels(), 6'250, now);
  window.onEncodeTime("webp", clock.pixels(), 6'250, now += kSecond);
  Choice c = selector.choose(window, clock, {}, now);
  CPPUNIT_ASSERT_MESSAGE(c.encoding + ": " + c.reason, c.encoding != "webp");
  CPPUNIT_ASSERT(c.lossless);

  // rgb24's figure (1) is optimistic: measured like png, png's compression wins.
  for (const char* e : {"png", "rgb24"}) {
    window.onEncodeTime(e, clock.pixels(), 660, now);
    window.onEncodeTime(e, clock.pixels(), 660, now + 1);
  }
  now += kSecond;
  c = selector.choose(window, clock, {}, now);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, std::string("png"), c.encoding);
  // The refresh of the same area learns from the same times.
  CPPUNIT_ASSERT(selector.chooseRefresh(window, clock, {}, now).encoding != "webp");

  // Without new samples the measurements are forgotten: the features decide again.
  now += EncodeTimes::kForgetUs + kSecond;
  CPPUNIT_ASSERT_EQUAL(std::string("webp"), selector.choose(window, clock, {}, now).encoding);
}

void EncodeTimesTest::testMeasuredTimesAreUsedByPropertiesNotNames() {
  // Two invented lossless codecs: the better-compressing one wins until it is measured slow.
  std::vector<EncoderCandidate> invented(2);
  invented[0].name = "zz-small";
  invented[0].lossless = true;
  invented[0].rank = 80;
  invented[0].cost = 10;
  invented[1].name = "zz-fast";
  invented[1].lossless = true;
  invented[1].rank = 40;
  invented[1].cost = 10;
  Settings settings;
  settings.speed = 50;
  const Selector selector(invented, {"zz-small", "zz-fast"}, settings);
  WindowEncodingState window(settings, 1280, 720, kStart);
  const Rect r{0, 0, 200, 200};
  const uint64_t now = kStart + kSecond;
  CPPUNIT_ASSERT_EQUAL(std::string("zz-small"), selector.choose(window, r, {}, now).encoding);
  // 100 ms per megapixel = 100 cost units at 1 ms per unit: 80 - 100 < 40 - 10.
  window.onEncodeTime("zz-small", r.pixels(), 4'000, now);
  window.onEncodeTime("zz-small", r.pixels(), 4'000, now);
  CPPUNIT_ASSERT_EQUAL(std::string("zz-fast"), selector.choose(window, r, {}, now).encoding);
  // A slower rate per unit makes the same times count less.
  Settings lenient = settings;
  lenient.costUnitUsPerMpx = 10'000.0;
  const Selector patient(invented, {"zz-small", "zz-fast"}, lenient);
  CPPUNIT_ASSERT_EQUAL(std::string("zz-small"), patient.choose(window, r, {}, now).encoding);
}

void EncodeTimesTest::testUnmeasuredIsNotTriedBlindly() {
  // Terminal lines on the busy-xterm workload (regions.sh): png measured 21 ms/Mpx with the
  // client's decode (declared 12), rgb24 12 (declared 1). rgb32, never sent yet, still counted
  // its declared 1 and won every line until measured: a few rgb32 draws each time its
  // measurements were forgotten.
  Settings settings;
  settings.speed = 100;
  const Selector selector(softwareCandidates(), xpraClientEncodings(), settings);
  WindowEncodingState window(settings, 1280, 720, kStart);
  uint64_t now = kStart + kSecond;
  const Rect line{8, 300, 60, 60};  // small: lossless, cost counts most
  CPPUNIT_ASSERT_EQUAL(std::string("rgb24"), selector.choose(window, line, {}, now).encoding);
  const Rect sample{0, 0, 100, 100};
  for (int i = 0; i < 2; ++i) {
    window.onEncodeTime("png", sample.pixels(), 210, now);
    window.onEncodeTime("rgb24", sample.pixels(), 120, now);
  }
  const Choice c = selector.choose(window, line, {}, now);
  CPPUNIT_ASSERT_MESSAGE(c.encoding + ": " + c.reason, c.encoding != "rgb32");
  CPPUNIT_ASSERT(c.lossless);

  // One measured encoding alone scales the others by the square root of its ratio only: it may
  // just be slow itself (sqrt(12) x 1: rgb32's rank 5 - 3.25 x 3.5 beats rgb24's 10 - 3.25 x 12).
  WindowEncodingState other(settings, 1280, 720, kStart);
  other.onEncodeTime("rgb24", sample.pixels(), 120, now);
  other.onEncodeTime("rgb24", sample.pixels(), 120, now);
  CPPUNIT_ASSERT_EQUAL(std::string("rgb32"), selector.choose(other, line, {}, now).encoding);
}

void EncodeTimesTest::testOneMeasuredEncodingScalesTheOthers() {
  // The ls workload of bench/pipeline/regions.sh at load 4-11 (traced): the shadowed root's
  // first pictures went as jpeg and measured 40-60 ms/Mpx with the client's decode (declared
  // 6); lossy webp, not measured, counted its declared 25 and won the 1200x780 terminal: four
  // webp encodes of 200-500 ms queued on the window's lane, capture-to-paint up to 1.3 s.
  const Selector selector(softwareCandidates(), xpraClientEncodings());
  WindowEncodingState window({}, 1920, 1080, kStart);
  uint64_t now = kStart + kSecond;
  const Rect terminal{3, 3, 1200, 780};
  CPPUNIT_ASSERT_EQUAL(std::string("jpeg"), selector.choose(window, terminal, {}, now).encoding);
  window.onEncodeTime("jpeg", terminal.pixels(), 42'000, now);  // 45 ms per megapixel
  window.onEncodeTime("jpeg", terminal.pixels(), 42'000, now += 50'000);
  const Choice c = selector.choose(window, terminal, {}, now);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, std::string("jpeg"), c.encoding);
  CPPUNIT_ASSERT(!c.lossless);
  // The others are scaled, not ruled out: where the window's own times say the machine is as
  // fast as declared, a high quality still goes lossless as before.
  Settings sharp;
  sharp.quality = 95;
  const Selector highQuality(softwareCandidates(), xpraClientEncodings(), sharp);
  WindowEncodingState idle(sharp, 1920, 1080, kStart);
  const Rect still{0, 0, 500, 400};
  idle.onEncodeTime("jpeg", still.pixels(), 1'200, now);  // 6 ms per megapixel, as declared
  idle.onEncodeTime("jpeg", still.pixels(), 1'200, now);
  CPPUNIT_ASSERT_EQUAL(std::string("webp"), highQuality.choose(idle, still, {}, now).encoding);
}

void EncodeTimesTest::testOneTrialAtATime() {
  // A high-quality 300x200 still: lossless; rgb24 is measured, webp wins on its rank.
  Settings settings;
  settings.quality = 95;
  settings.speed = 50;
  const Selector selector(softwareCandidates(), xpraClientEncodings(), settings);
  WindowEncodingState window(settings, 1920, 1080, kStart);
  uint64_t now = kStart + kSecond;
  const Rect r{0, 0, 300, 200};
  window.onEncodeTime("rgb24", r.pixels(), 120, now);  // 2 ms per megapixel
  window.onEncodeTime("rgb24", r.pixels(), 120, now);
  Choice c = selector.choose(window, r, {}, now);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, std::string("webp"), c.encoding);
  // Its first encode is under way: the next draw does not queue a second blind webp encode
  // behind it, it takes the best of the rest.
  window.onEncoded(c, r, now);
  c = selector.choose(window, r, {}, now += 20'000);
  CPPUNIT_ASSERT_MESSAGE(c.encoding + ": " + c.reason, c.encoding != "webp");
  CPPUNIT_ASSERT(c.lossless);
  // The trial's time comes back, slow (400 ms per megapixel): one sample is no estimate, but it
  // keeps webp from being tried again on its declared figure.
  window.onEncodeTime("webp", r.pixels(), 24'000, now += 20'000);
  c = selector.choose(window, r, {}, now);
  CPPUNIT_ASSERT_MESSAGE(c.encoding + ": " + c.reason, c.encoding != "webp");
  // A trial whose time never comes back (a failed job) is awaited only for a while.
  WindowEncodingState lost(settings, 1920, 1080, kStart);
  lost.onEncodeTime("rgb24", r.pixels(), 120, now);
  lost.onEncodeTime("rgb24", r.pixels(), 120, now);
  lost.onEncoded(selector.choose(lost, r, {}, now), r, now);
  CPPUNIT_ASSERT(selector.choose(lost, r, {}, now + kSecond).encoding != "webp");
  const uint64_t later = now + EncodeTimes::kAwaitUs;
  c = selector.choose(lost, r, {}, later);
  CPPUNIT_ASSERT_EQUAL(std::string("webp"), c.encoding);
  // ... and the next trial is awaited in turn.
  lost.onEncoded(c, r, later);
  CPPUNIT_ASSERT(selector.choose(lost, r, {}, later + 1).encoding != "webp");
  // A trial answered by another session's encode of the same picture (no time of its own) is
  // over: clients that share encodes go on choosing alike.
  WindowEncodingState sharing(settings, 1920, 1080, kStart);
  sharing.onEncodeTime("rgb24", r.pixels(), 120, now);
  sharing.onEncodeTime("rgb24", r.pixels(), 120, now);
  sharing.onEncoded(selector.choose(sharing, r, {}, now), r, now);
  sharing.onEncodeShared("webp");
  CPPUNIT_ASSERT_EQUAL(std::string("webp"), selector.choose(sharing, r, {}, now + 1).encoding);
  // With nothing measured there is nothing better known: trials go on as before.
  WindowEncodingState fresh(settings, 1920, 1080, kStart);
  fresh.onEncoded(selector.choose(fresh, r, {}, now), r, now);
  CPPUNIT_ASSERT_EQUAL(std::string("webp"), selector.choose(fresh, r, {}, now + 1).encoding);
}
