#include "SyntheticPlatformTest.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "platform_events.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(SyntheticPlatformTest);

using rdk::test::LoadedTestPlugin;
using rdk::test::OpenedPlatform;
using rdk::test::RecordedEvent;

namespace {

constexpr uint64_t kStartUs = 5'000'000'000;  // an arbitrary monotonic origin
constexpr uint64_t kDesktop = 1, kNotes = 2;

LoadedTestPlugin& plugin() {
  static LoadedTestPlugin p("synthetic");
  return p;
}

const char* kSmall = R"({"width":640,"height":480,"fps":10,"seed":7})";

/// Polls from |fromUs| to |toUs| (relative to kStartUs) every |stepUs|.
void run(OpenedPlatform& p, uint64_t fromUs, uint64_t toUs, uint64_t stepUs) {
  for (uint64_t t = fromUs; t <= toUs; t += stepUs) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs + t));
  }
}

bool inside(const rdk_rect& r, uint32_t w, uint32_t h) {
  return r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h && r.w > 0 && r.h > 0;
}

}  // namespace

void SyntheticPlatformTest::everyWindowEventTypeWithinTenSeconds() {
  OpenedPlatform p(plugin(), "synthetic", kSmall);
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  run(p, 0, 10'000'000, 20'000);
  auto& rec = p.recorder();
  for (uint32_t type = RDK_WINDOW_NEW; type <= RDK_WINDOW_POINTER; ++type) {
    CPPUNIT_ASSERT_MESSAGE("event type " + std::to_string(type) + " never reported",
                           rec.count(type) > 0);
  }
  // Window sizes as announced, to check every damage rectangle against.
  std::map<uint64_t, std::pair<uint32_t, uint32_t>> sizes;
  std::set<uint64_t> lost;
  for (const RecordedEvent& e : rec.events()) {
    switch (e.type) {
      case RDK_WINDOW_NEW:
      case RDK_WINDOW_NEW_OVERRIDE_REDIRECT:
      case RDK_WINDOW_NEW_TRAY:
        CPPUNIT_ASSERT(sizes.count(e.wid) == 0);
        CPPUNIT_ASSERT(e.metadata.find("\"title\":") != std::string::npos);
        CPPUNIT_ASSERT(e.metadata.find("\"window-type\":[") != std::string::npos);
        sizes[e.wid] = {e.rect.w, e.rect.h};
        break;
      case RDK_WINDOW_MOVE_RESIZE:
      case RDK_WINDOW_RESIZED:
        CPPUNIT_ASSERT(sizes.count(e.wid) == 1);
        sizes[e.wid] = {e.rect.w, e.rect.h};
        break;
      case RDK_WINDOW_DAMAGE:
        CPPUNIT_ASSERT(sizes.count(e.wid) == 1);
        CPPUNIT_ASSERT(inside(e.rect, sizes[e.wid].first, sizes[e.wid].second));
        break;
      case RDK_WINDOW_LOST:
        CPPUNIT_ASSERT(sizes.erase(e.wid) == 1);
        lost.insert(e.wid);
        break;
      default:
        break;
    }
  }
  const auto ors = rec.ofType(RDK_WINDOW_NEW_OVERRIDE_REDIRECT);
  CPPUNIT_ASSERT(ors.front().metadata.find("\"override-redirect\":true") != std::string::npos);
  CPPUNIT_ASSERT(lost.count(ors.front().wid) == 1);  // the popup closed
  const auto desk = rec.ofType(RDK_WINDOW_NEW).front();
  CPPUNIT_ASSERT_EQUAL(kDesktop, desk.wid);
  CPPUNIT_ASSERT_EQUAL(640u, desk.rect.w);
  CPPUNIT_ASSERT_EQUAL(480u, desk.rect.h);
  const auto cursor = rec.ofType(RDK_WINDOW_CURSOR).front();
  CPPUNIT_ASSERT(cursor.imageWidth > 0);
  CPPUNIT_ASSERT_EQUAL(size_t{cursor.imageWidth} * cursor.imageHeight * 4, cursor.image.size());
  // Every window still alive can be captured whole.
  for (const auto& [wid, size] : sizes) {
    rdk_image image{};
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.capture(wid, {0, 0, size.first, size.second}, image));
    CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_PIXEL_BGRX}, image.format);
    CPPUNIT_ASSERT(image.stride >= size.first * 4);
  }
}

void SyntheticPlatformTest::scriptRepeatsWithFreshWindowIds() {
  OpenedPlatform p(plugin(), "synthetic", R"({"width":320,"height":240,"fps":2,"sound":false})");
  CPPUNIT_ASSERT(p.ok());
  run(p, 0, 30'000'000, 100'000);  // two and a half cycles of the script
  auto& rec = p.recorder();
  CPPUNIT_ASSERT_EQUAL(size_t{3}, rec.count(RDK_WINDOW_NEW_OVERRIDE_REDIRECT));
  CPPUNIT_ASSERT_EQUAL(size_t{3}, rec.count(RDK_WINDOW_NEW_TRAY));
  CPPUNIT_ASSERT_EQUAL(size_t{3}, rec.count(RDK_WINDOW_BELL));
  CPPUNIT_ASSERT_EQUAL(size_t{0}, rec.count(RDK_WINDOW_SOUND));
  std::set<uint64_t> ids;
  for (const auto& type : {RDK_WINDOW_NEW, RDK_WINDOW_NEW_OVERRIDE_REDIRECT, RDK_WINDOW_NEW_TRAY}) {
    for (const auto& e : rec.ofType(type)) {
      CPPUNIT_ASSERT_MESSAGE("window id reused", ids.insert(e.wid).second);
      CPPUNIT_ASSERT(e.wid > 0 && e.wid < 64);
    }
  }
}

void SyntheticPlatformTest::windowsStayOnASmallDesktop() {
  // 336x256: the dialog's minimum width once pushed it to x 152 + 193 (a 345-wide client picture).
  for (const auto& [w, h] : {std::pair<uint32_t, uint32_t>{336, 256}, {320, 240}}) {
    const std::string options =
        "{\"width\":" + std::to_string(w) + ",\"height\":" + std::to_string(h) + ",\"fps\":10}";
    OpenedPlatform p(plugin(), "synthetic", options);
    CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
    run(p, 0, 12'000'000, 50'000);
    size_t checked = 0;
    for (const RecordedEvent& e : p.recorder().events()) {
      if (e.type != RDK_WINDOW_NEW && e.type != RDK_WINDOW_NEW_OVERRIDE_REDIRECT &&
          e.type != RDK_WINDOW_NEW_TRAY && e.type != RDK_WINDOW_MOVE_RESIZE &&
          e.type != RDK_WINDOW_RESIZED) {
        continue;
      }
      ++checked;
      CPPUNIT_ASSERT_MESSAGE(options + " window " + std::to_string(e.wid) + " at " +
                                 std::to_string(e.rect.x) + "," + std::to_string(e.rect.y) + " " +
                                 std::to_string(e.rect.w) + "x" + std::to_string(e.rect.h),
                             inside(e.rect, w, h));
    }
    CPPUNIT_ASSERT(checked >= 6);
  }
}

void SyntheticPlatformTest::sameSeedAndTimesGiveSamePixels() {
  OpenedPlatform a(plugin(), "synthetic", kSmall);
  OpenedPlatform b(plugin(), "synthetic", kSmall);
  OpenedPlatform other(plugin(), "synthetic", R"({"width":640,"height":480,"fps":10,"seed":8})");
  CPPUNIT_ASSERT(a.ok() && b.ok() && other.ok());
  // Irregular poll times, the same for both.
  const uint64_t times[] = {0, 13'000, 250'000, 1'234'567, 3'100'000, 4'700'001, 5'600'000};
  for (uint64_t t : times) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, a.poll(kStartUs + t));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, b.poll(kStartUs + t));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, other.poll(kStartUs + t));
    for (uint64_t wid : {kDesktop, kNotes}) {
      const rdk_rect whole = wid == kDesktop ? rdk_rect{0, 0, 640, 480} : rdk_rect{0, 0, 213, 160};
      const auto pa = a.pixels(wid, whole);
      CPPUNIT_ASSERT(!pa.empty());
      CPPUNIT_ASSERT(pa == b.pixels(wid, whole));
    }
    CPPUNIT_ASSERT(a.pixels(kDesktop, {0, 0, 640, 480}) !=
                   other.pixels(kDesktop, {0, 0, 640, 480}));
  }
  CPPUNIT_ASSERT_EQUAL(a.recorder().events().size(), b.recorder().events().size());
}

void SyntheticPlatformTest::damageCoversEveryChangedPixelAndNoStaticArea() {
  OpenedPlatform p(plugin(), "synthetic", kSmall);
  CPPUNIT_ASSERT(p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs));
  const rdk_rect whole{0, 0, 640, 480};
  for (int step = 1; step <= 30; ++step) {
    const auto before = p.pixels(kDesktop, whole);
    p.recorder().clear();
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs + step * 100'000));
    const auto after = p.pixels(kDesktop, whole);
    std::vector<rdk_rect> damage;
    for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
      if (e.wid == kDesktop)
        damage.push_back(e.rect);
    }
    size_t changed = 0;
    for (int32_t y = 0; y < 480; ++y) {
      for (int32_t x = 0; x < 640; ++x) {
        const size_t i = (static_cast<size_t>(y) * 640 + x) * 4;
        if (std::equal(&before[i], &before[i] + 3, &after[i]))
          continue;
        ++changed;
        const bool covered = std::any_of(damage.begin(), damage.end(), [&](const rdk_rect& r) {
          return x >= r.x && y >= r.y && x < r.x + int32_t(r.w) && y < r.y + int32_t(r.h);
        });
        CPPUNIT_ASSERT_MESSAGE(
            "pixel changed outside damage at " + std::to_string(x) + "," + std::to_string(y),
            covered);
      }
    }
    CPPUNIT_ASSERT(changed > 0);  // the video area moves every frame
    // The banner's title and the colour bars (bottom right) never change, so are never damaged.
    for (const rdk_rect& r : damage) {
      CPPUNIT_ASSERT(!(r.x <= 10 && r.y <= 8 && r.x + int32_t(r.w) > 10 && r.y + int32_t(r.h) > 8));
      CPPUNIT_ASSERT(!(r.x + int32_t(r.w) > 600 && r.y + int32_t(r.h) > 450));
    }
  }
}

void SyntheticPlatformTest::injectedKeysAndClicksShowAndAreLogged() {
  char logPath[] = "/tmp/rdk-synthetic-input-XXXXXX";
  const int fd = mkstemp(logPath);
  CPPUNIT_ASSERT(fd >= 0);
  close(fd);
  OpenedPlatform p(
      plugin(), "synthetic",
      std::string(R"({"width":640,"height":480,"fps":10,"input_log":")") + logPath + "\"}");
  CPPUNIT_ASSERT_MESSAGE(p.lastError(), p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs));
  const rdk_rect notesWhole{0, 0, 213, 160};
  const auto notesBefore = p.pixels(kNotes, notesWhole);
  p.recorder().clear();
  for (const char* key : {"h", "i"}) {
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(kNotes, key, key[0], true)));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::keyEvent(kNotes, key, key[0], false)));
  }
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(kDesktop, 300, 200, 1, true)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.inject(rdk::test::buttonEvent(kDesktop, 300, 200, 1, false)));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs + 1000));
  const auto meta = p.recorder().ofType(RDK_WINDOW_METADATA);
  CPPUNIT_ASSERT(!meta.empty());
  CPPUNIT_ASSERT_EQUAL(std::string(R"({"title":"Notes: hi"})"), meta.back().metadata);
  CPPUNIT_ASSERT(p.pixels(kNotes, notesWhole) != notesBefore);
  bool markerDamaged = false;
  for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
    markerDamaged |= e.wid == kDesktop && e.rect.x == 296 && e.rect.y == 196 && e.rect.w == 9;
  }
  CPPUNIT_ASSERT(markerDamaged);
  // The marker's centre is red for button 1 and survives the text area's redraws.
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs + 2'000'000));
  const auto centre = p.pixels(kDesktop, {300, 200, 1, 1});
  CPPUNIT_ASSERT(centre.size() == 4 && centre[2] == 0xff && centre[1] == 0x20 && centre[0] == 0x20);
  std::ifstream log(logPath);
  std::string line;
  int lines = 0, keyPresses = 0;
  while (std::getline(log, line)) {
    ++lines;
    keyPresses += line.find("\"type\":\"key\"") != std::string::npos &&
                  line.find("\"pressed\":true") != std::string::npos;
  }
  CPPUNIT_ASSERT_EQUAL(6, lines);
  CPPUNIT_ASSERT_EQUAL(2, keyPresses);
  std::remove(logPath);
}

void SyntheticPlatformTest::soundEventsAreWavOf440Hz() {
  OpenedPlatform p(plugin(), "synthetic", kSmall);
  CPPUNIT_ASSERT(p.ok());
  run(p, 0, 1'000'000, 50'000);
  const auto sound = p.recorder().ofType(RDK_WINDOW_SOUND);
  CPPUNIT_ASSERT_EQUAL(size_t{10}, sound.size());
  for (size_t i = 0; i < sound.size(); ++i) {
    CPPUNIT_ASSERT(sound[i].metadata.find("\"codec\":\"wav\"") != std::string::npos);
    CPPUNIT_ASSERT(sound[i].metadata.find("\"sequence\":" + std::to_string(i) + ",") !=
                   std::string::npos);
  }
  const auto& wav = sound.front().data;
  CPPUNIT_ASSERT_EQUAL(size_t{44 + 8820}, wav.size());
  CPPUNIT_ASSERT(std::equal(wav.begin(), wav.begin() + 4, "RIFF"));
  CPPUNIT_ASSERT(std::equal(wav.begin() + 8, wav.begin() + 12, "WAVE"));
  // 440 Hz over 100 ms: 44 periods, so 88 sign changes (give or take the edges).
  int crossings = 0;
  int16_t prev = 0;
  for (size_t i = 44; i + 1 < wav.size(); i += 2) {
    const auto s = static_cast<int16_t>(wav[i] | wav[i + 1] << 8);
    if (i > 44 && ((prev < 0) != (s < 0)))
      ++crossings;
    prev = s;
  }
  CPPUNIT_ASSERT(crossings >= 86 && crossings <= 89);
}

void SyntheticPlatformTest::badOptionsAndRequestsAreRejected() {
  {
    OpenedPlatform p(plugin(), "synthetic", R"({"width":10})");
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.status());
    CPPUNIT_ASSERT(p.lastError().find("width") != std::string::npos);
  }
  {
    OpenedPlatform p(plugin(), "synthetic", "[1,2");
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.status());
  }
  for (const char* bad : {R"({"fps":"fast"})", R"({"width":"640"})", R"({"sound":1})",
                          R"({"input_log":5})", R"({"seed":-1})", R"({"fps":0})"}) {
    OpenedPlatform p(plugin(), "synthetic", bad);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, RDK_E_INVALID_ARG, p.status());
  }
  {
    OpenedPlatform p(plugin(), "x11", "{}");
    CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED, p.status());
  }
  OpenedPlatform p(plugin(), "synthetic", kSmall);
  CPPUNIT_ASSERT(p.ok());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs));
  rdk_image image{};
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(kDesktop, {600, 0, 100, 10}, image));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(kDesktop, {0, 0, 0, 10}, image));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.capture(999, {0, 0, 1, 1}, image));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.capture(kDesktop, {639, 479, 1, 1}, image));
  rdk_input_event bogus = rdk::test::motionEvent(kDesktop, 1, 1);
  bogus.type = 99;
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, p.inject(bogus));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                       p.inject(rdk::test::buttonEvent(kDesktop, 1, 1, 0, true)));
  // A flood without polls is refused rather than queued without bound.
  rdk_status last = RDK_OK;
  for (int i = 0; i < 5000 && last == RDK_OK; ++i) {
    last = p.inject(rdk::test::motionEvent(kDesktop, i % 640, 1));
  }
  CPPUNIT_ASSERT_EQUAL(RDK_E_AGAIN, last);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, p.poll(kStartUs + 100'000));
}
