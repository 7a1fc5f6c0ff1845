#include "SelectorTest.h"

#include "policy_fixtures.hpp"
#include "rdk/encoding/params.h"
#include "rdk/encoding/selector.h"

using namespace rdk::encoding;
using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(SelectorTest);

namespace {
const std::vector<std::string> kNoVideo = {"png",   "png/P", "png/L", "webp",
                                           "rgb24", "rgb32", "jpeg"};
const std::vector<std::string> kJpegOnly = {"jpeg"};
const std::vector<std::string> kRgbOnly = {"rgb24", "rgb32"};

struct Row {
  const char* what;
  std::vector<std::string> client;
  History history;
  Rect region;
  NetworkState net;
  int quality;  // Settings.quality (-1 auto)
  int speed;    // Settings.speed (-1 auto)
  std::string expect;
  bool keyframe;
};
}  // namespace

void SelectorTest::testChoiceTable() {
  const auto xpra = xpraClientEncodings();
  const NetworkState clean{};
  const NetworkState lossy{50, 30'000, 0};        // 5% loss
  const NetworkState thin{0, 20'000, 2'000'000};  // 2 Mbit/s
  const std::vector<Row> rows = {
      {"1x1 pixel", xpra, History::kNone, {5, 5, 1, 1}, clean, -1, -1, "rgb24", false},
      {"60x60 small", xpra, History::kNone, {0, 0, 60, 60}, clean, -1, -1, "rgb24", false},
      {"thin strip", xpra, History::kNone, {0, 0, 4, 500}, clean, -1, -1, "rgb24", false},
      // 200k pixels: cost weighs 1.76x (big stills hold the window's lane), jpeg beats lossy webp.
      {"still, default speed",
       xpra,
       History::kNone,
       {0, 0, 500, 400},
       clean,
       -1,
       -1,
       "jpeg",
       false},
      {"still, fast", xpra, History::kNone, {0, 0, 500, 400}, clean, -1, 80, "jpeg", false},
      {"still, thin link", xpra, History::kNone, {0, 0, 500, 400}, thin, -1, -1, "webp", false},
      {"still, high quality", xpra, History::kNone, {0, 0, 500, 400}, clean, 95, -1, "webp", false},
      {"still, high quality, speed 100",
       xpra,
       History::kNone,
       {0, 0, 500, 400},
       clean,
       95,
       100,
       "rgb24",
       false},
      {"high quality, no webp",
       {"png", "rgb24", "jpeg"},
       History::kNone,
       {0, 0, 500, 400},
       clean,
       95,
       50,
       "png",
       false},
      {"video content", xpra, History::kVideo, {320, 180, 640, 360}, clean, -1, -1, "vp8", true},
      {"video content, slow speed",
       xpra,
       History::kVideo,
       {320, 180, 640, 360},
       clean,
       -1,
       40,
       "vp9",
       true},
      {"video content, no video client",
       kNoVideo,
       History::kVideo,
       {320, 180, 640, 360},
       clean,
       -1,
       -1,
       "jpeg",
       false},
      {"video content, just resized",
       xpra,
       History::kVideoJustResized,
       {320, 180, 640, 360},
       clean,
       -1,
       -1,
       "jpeg",
       false},
      {"typing, glyph", xpra, History::kTyping, {260, 40, 8, 16}, clean, -1, -1, "rgb24", false},
      {"typing, line", xpra, History::kTyping, {0, 40, 600, 16}, clean, -1, -1, "webp", false},
      {"typing under loss: not video",
       xpra,
       History::kTyping,
       {0, 0, 800, 600},
       lossy,
       -1,
       -1,
       "jpeg",
       false},
      {"big still under loss: video + key",
       xpra,
       History::kNone,
       {0, 0, 800, 600},
       lossy,
       -1,
       -1,
       "vp9",
       true},
      {"big lossless under loss, no video",
       kNoVideo,
       History::kNone,
       {0, 0, 800, 600},
       lossy,
       95,
       -1,
       "webp",
       false},
      {"small under loss stays lossless",
       xpra,
       History::kNone,
       {0, 0, 40, 40},
       lossy,
       -1,
       -1,
       "rgb24",
       false},
      {"jpeg-only client, small region",
       kJpegOnly,
       History::kNone,
       {0, 0, 20, 20},
       clean,
       -1,
       -1,
       "jpeg",
       false},
      {"rgb-only client, big region",
       kRgbOnly,
       History::kVideo,
       {0, 0, 1280, 720},
       lossy,
       -1,
       -1,
       "rgb24",
       false},
  };
  for (const auto& row : rows) {
    Settings settings;
    settings.quality = row.quality;
    settings.speed = row.speed;
    WindowEncodingState window(settings, 1280, 720, kStart);
    const uint64_t now = play(window, row.history);
    const Selector selector(softwareCandidates(), row.client, settings);
    const Choice c = selector.choose(window, row.region, row.net, now);
    const std::string msg = std::string(row.what) + ": got " + c.encoding + " (" + c.reason + ")";
    CPPUNIT_ASSERT_EQUAL_MESSAGE(msg, row.expect, c.encoding);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(msg, row.keyframe, c.keyframe);
    CPPUNIT_ASSERT_MESSAGE(msg, !c.reason.empty());
    if (c.lossless)
      CPPUNIT_ASSERT_EQUAL_MESSAGE(msg, 100, c.quality);
  }
}

void SelectorTest::testRefreshTable() {
  const auto xpra = xpraClientEncodings();
  struct RefreshRow {
    const char* what;
    std::vector<std::string> client;
    NetworkState net;
    std::string expect;
    bool lossless;
  };
  const std::vector<RefreshRow> rows = {
      // A whole-window refresh (921k pixels) on a fast link: the cheapest lossless encoding.
      {"after video", xpra, {}, "rgb24", true},
      {"after video, thin link", xpra, {0, 0, 5'000'000}, "webp", true},
      {"after video, png and jpeg client", {"png", "jpeg", "vp8"}, {}, "png", true},
      {"under loss: high-quality video, not a big picture", xpra, {80, 50'000, 0}, "vp9", false},
      {"under loss, no video", kNoVideo, {80, 50'000, 0}, "webp", true},
  };
  for (const auto& row : rows) {
    WindowEncodingState window({}, 1280, 720, kStart);
    uint64_t now = play(window, History::kVideo);
    const Selector selector(softwareCandidates(), row.client);
    const Rect whole{0, 0, 1280, 720};
    // Motion sent lossily, then the window goes still: the refresh is due 150 ms later.
    Choice motion = selector.choose(window, {320, 180, 640, 360}, row.net, now);
    window.onEncoded(motion, {320, 180, 640, 360}, now);
    CPPUNIT_ASSERT(!window.refreshDue(now));
    now = window.refreshAtUs();
    CPPUNIT_ASSERT(!window.refreshDue(now - 1));
    CPPUNIT_ASSERT_MESSAGE(row.what, window.refreshDue(now));
    const Choice r = selector.chooseRefresh(window, whole, row.net, now);
    const std::string msg = std::string(row.what) + ": got " + r.encoding + " (" + r.reason + ")";
    CPPUNIT_ASSERT_EQUAL_MESSAGE(msg, row.expect, r.encoding);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(msg, row.lossless, r.lossless);
    CPPUNIT_ASSERT_MESSAGE(msg, r.refresh);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(msg, 100, r.quality);
    window.onEncoded(r, whole, now);
    CPPUNIT_ASSERT_MESSAGE(msg, !window.refreshDue(now + 10'000 * kMs));
  }
}

void SelectorTest::testQualityAndSpeedTargets() {
  const Selector selector(softwareCandidates(), xpraClientEncodings());
  WindowEncodingState still({}, 1280, 720, kStart);
  const uint64_t t0 = play(still, History::kNone);
  WindowEncodingState video({}, 1280, 720, kStart);
  const uint64_t t1 = play(video, History::kVideo);
  const int clean = selector.targetQuality(still, {}, t0);
  CPPUNIT_ASSERT(selector.targetQuality(still, {50, 0, 0}, t0) < clean);         // loss
  CPPUNIT_ASSERT(selector.targetQuality(still, {0, 200'000, 0}, t0) < clean);    // latency
  CPPUNIT_ASSERT(selector.targetQuality(still, {0, 0, 1'000'000}, t0) < clean);  // thin link
  CPPUNIT_ASSERT(selector.targetQuality(video, {}, t1) < clean);                 // motion
  CPPUNIT_ASSERT_EQUAL(30,
                       selector.targetQuality(still, {200, 300'000, 500'000}, t0));  // min-quality
  CPPUNIT_ASSERT(selector.targetSpeed(video, {}, t1) > selector.targetSpeed(still, {}, t0));
  Settings fixed;
  fixed.quality = 10;  // below the client's min-quality: clamped
  fixed.speed = 70;
  const Selector pinned(softwareCandidates(), xpraClientEncodings(), fixed);
  CPPUNIT_ASSERT_EQUAL(30, pinned.targetQuality(still, {}, t0));
  CPPUNIT_ASSERT_EQUAL(70, pinned.targetSpeed(video, {}, t1));
}

void SelectorTest::testCommonEncodings() {
  const Selector none(softwareCandidates(), {"h264", "mpeg4"});
  CPPUNIT_ASSERT(none.common().empty());
  WindowEncodingState window({}, 640, 480, kStart);
  const Choice c = none.choose(window, {0, 0, 100, 100}, {}, kStart + 1000 * kMs);
  CPPUNIT_ASSERT(c.encoding.empty());
  CPPUNIT_ASSERT(!c.reason.empty());
  const Selector some(softwareCandidates(), {"rgb24", "vp8", "nope"});
  CPPUNIT_ASSERT_EQUAL(size_t(2), some.common().size());
}

void SelectorTest::testPolicyUsesPropertiesNotNames() {
  // Invented codecs: the policy picks them by their properties alone.
  std::vector<EncoderCandidate> invented(3);
  invented[0].name = "zz-raw";
  invented[0].lossless = true;
  invented[0].rank = 1;
  invented[0].cost = 1;
  invented[1].name = "zz-still";
  invented[1].lossy = true;
  invented[1].rank = 50;
  invented[1].cost = 5;
  invented[2].name = "zz-video";
  invented[2].lossy = invented[2].video = invented[2].keyframes = true;
  invented[2].rank = 100;
  invented[2].cost = 10;
  const Selector selector(invented, {"zz-raw", "zz-still", "zz-video"});
  WindowEncodingState window({}, 1280, 720, kStart);
  CPPUNIT_ASSERT_EQUAL(std::string("zz-raw"),
                       selector.choose(window, {0, 0, 10, 10}, {}, kStart).encoding);
  CPPUNIT_ASSERT_EQUAL(std::string("zz-still"),
                       selector.choose(window, {0, 0, 500, 500}, {}, kStart).encoding);
  const uint64_t now = play(window, History::kVideo);
  CPPUNIT_ASSERT_EQUAL(std::string("zz-video"),
                       selector.choose(window, {0, 0, 640, 360}, {}, now).encoding);
}

void SelectorTest::testClientPreferredEncoding() {
  // The hello's "encoding" as Xpra 3.1.3 honours it (window_source.py get_current_or_rgb,
  // window_video_source.py get_best_encoding_video).
  const Rect still{0, 0, 500, 400};
  const Rect small{0, 0, 60, 60};
  const uint64_t t = kStart + 1000 * kMs;
  // A picture-only client (no video, no scroll draws) that asked for png gets png for every
  // region above the small ones (the policy alone sends jpeg there), rgb for the small ones.
  const std::vector<std::string> pictures = {"png", "rgb24", "rgb32", "jpeg", "webp"};
  Settings named;
  named.preferredEncoding = "png";
  WindowEncodingState window(named, 1280, 720, kStart);
  const Selector withPng(softwareCandidates(), pictures, named);
  const Selector automatic(softwareCandidates(), pictures, Settings{});
  CPPUNIT_ASSERT_EQUAL(std::string("jpeg"), automatic.choose(window, still, {}, t).encoding);
  Choice c = withPng.choose(window, still, {}, t);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, std::string("png"), c.encoding);
  CPPUNIT_ASSERT(c.lossless);
  CPPUNIT_ASSERT_EQUAL(std::string("rgb24"), withPng.choose(window, small, {}, t).encoding);
  // A lossy named encoding keeps the quality target.
  Settings namedJpeg;
  namedJpeg.preferredEncoding = "jpeg";
  namedJpeg.quality = 95;
  const Selector withJpeg(softwareCandidates(), pictures, namedJpeg);
  c = withJpeg.choose(window, still, {}, t);
  CPPUNIT_ASSERT_EQUAL(std::string("jpeg"), c.encoding);
  CPPUNIT_ASSERT(!c.lossless);
  // A client that paints scroll draws, or has video in common: 3.1.3 picks by itself.
  Settings scrolls = named;
  scrolls.clientScrolls = true;
  CPPUNIT_ASSERT_EQUAL(
      std::string("jpeg"),
      Selector(softwareCandidates(), pictures, scrolls).choose(window, still, {}, t).encoding);
  CPPUNIT_ASSERT_EQUAL(std::string("jpeg"),
                       Selector(softwareCandidates(), xpraClientEncodings(), named)
                           .choose(window, still, {}, t)
                           .encoding);
  // A named video encoding is the video whenever video is chosen.
  for (const char* video : {"vp8", "vp9"}) {
    Settings s;
    s.preferredEncoding = video;
    WindowEncodingState moving(s, 1280, 720, kStart);
    const uint64_t now = play(moving, History::kVideo);
    const Selector selector(softwareCandidates(), xpraClientEncodings(), s);
    c = selector.choose(moving, {0, 0, 1280, 720}, {}, now);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, std::string(video), c.encoding);
  }
}
