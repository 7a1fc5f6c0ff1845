#include "ScrollDetectorTest.h"

#include <cstring>
#include <random>
#include <vector>

#include "rdk/encoding/scroll_detector.h"

using namespace rdk::encoding;

CPPUNIT_TEST_SUITE_REGISTRATION(ScrollDetectorTest);

namespace {

// A BGRX picture of a terminal: 16-px text lines of pseudo-random glyph pixels, every fifth line
// blank (blank rows repeat everywhere, like real text).
struct Picture {
  uint32_t w, h;
  std::vector<uint32_t> px;
  Picture(uint32_t width, uint32_t height) : w(width), h(height), px(size_t{width} * height) {}
  uint32_t& at(uint32_t x, uint32_t y) { return px[size_t{y} * w + x]; }
  const uint32_t* row(uint32_t y) const { return px.data() + size_t{y} * w; }
};

void writeLine(Picture& p, uint32_t top, uint32_t lineNumber) {
  std::mt19937 rng(lineNumber * 7919 + 1);
  const bool blank = lineNumber % 5 == 4;
  for (uint32_t y = top; y < top + 16 && y < p.h; ++y) {
    for (uint32_t x = 0; x < p.w; ++x) {
      const bool ink = !blank && (y - top) >= 3 && (y - top) < 13 && rng() % 3 == 0;
      p.at(x, y) = ink ? 0xff202020u : 0xfff0f0f0u;
    }
  }
}

// A terminal of |h| px whose first visible line is |firstLine|.
Picture terminal(uint32_t w, uint32_t h, uint32_t firstLine) {
  Picture p(w, h);
  for (uint32_t top = 0, line = firstLine; top < h; top += 16, ++line)
    writeLine(p, top, line);
  return p;
}

RowHashes hashes(const Picture& p, const Rect& area) {
  RowHashes r;
  r.area = area;
  r.rows = hashRows(reinterpret_cast<const uint8_t*>(p.row(area.y) + area.x), size_t{p.w} * 4,
                    size_t{area.w} * 4, area.h);
  return r;
}

// What a client does with the plan: every move copies from the picture as it was before the
// draw, then the fresh rows are painted from the new frame.
Picture apply(const Picture& before, const ScrollPlan& plan, const Picture& newFrame) {
  Picture out = before;
  for (const ScrollMove& m : plan.moves) {
    for (uint32_t i = 0; i < m.h; ++i) {
      std::memcpy(&out.at(m.x + m.dx, m.y + m.dy + i), &before.px[size_t{m.y + i} * before.w + m.x],
                  size_t{m.w} * 4);
    }
  }
  for (const Rect& r : plan.fresh) {
    for (uint32_t y = r.y; y < r.y + r.h; ++y)
      std::memcpy(&out.at(r.x, y), newFrame.row(y) + r.x, size_t{r.w} * 4);
  }
  return out;
}

}  // namespace

void ScrollDetectorTest::testScrollUpIsPixelExact() {
  const Rect area{0, 0, 640, 480};
  const Picture a = terminal(640, 480, 100);
  const Picture b = terminal(640, 480, 102);  // two new lines at the bottom: up by 32 px
  std::string why;
  const auto plan = detectScroll(hashes(a, area), hashes(b, area), {}, &why);
  CPPUNIT_ASSERT_MESSAGE(why, plan);
  CPPUNIT_ASSERT_EQUAL(int32_t(-32), plan->shift);
  CPPUNIT_ASSERT_EQUAL(size_t(1), plan->moves.size());
  CPPUNIT_ASSERT(plan->moves[0] == (ScrollMove{0, 32, 640, 448, 0, -32}));
  CPPUNIT_ASSERT_EQUAL(size_t(1), plan->fresh.size());
  // The new lines' ink rows; their blank top rows equal what was there and are not counted.
  CPPUNIT_ASSERT(plan->fresh[0] == (Rect{0, 451, 640, 26}));
  CPPUNIT_ASSERT_EQUAL(uint32_t(20), plan->freshRows);
  CPPUNIT_ASSERT(apply(a, *plan, b).px == b.px);
  CPPUNIT_ASSERT(plan->why.find("scroll by -32") != std::string::npos);
}

void ScrollDetectorTest::testScrollDownIsPixelExact() {
  const Rect area{0, 0, 320, 320};
  const Picture a = terminal(320, 320, 50);
  const Picture b = terminal(320, 320, 49);  // one line back: down by 16 px
  const auto plan = detectScroll(hashes(a, area), hashes(b, area));
  CPPUNIT_ASSERT(plan);
  CPPUNIT_ASSERT_EQUAL(int32_t(16), plan->shift);
  CPPUNIT_ASSERT(apply(a, *plan, b).px == b.px);
  for (const Rect& r : plan->fresh)
    CPPUNIT_ASSERT(r.y + r.h <= 16);  // only the new top line is sent
}

void ScrollDetectorTest::testStaticHeaderStaysUnchanged() {
  // A 48-px header that does not scroll above the text: its rows are neither moved nor sent.
  const Rect area{0, 0, 400, 400};
  Picture a = terminal(400, 400, 10), b = terminal(400, 400, 13);
  for (uint32_t y = 0; y < 48; ++y) {
    for (uint32_t x = 0; x < 400; ++x)
      a.at(x, y) = b.at(x, y) = 0xff000000u | (x * 31 + y * 17);
  }
  const auto plan = detectScroll(hashes(a, area), hashes(b, area));
  CPPUNIT_ASSERT(plan);
  CPPUNIT_ASSERT_EQUAL(int32_t(-48), plan->shift);
  CPPUNIT_ASSERT(plan->unchangedRows >= 48);
  for (const ScrollMove& m : plan->moves)
    CPPUNIT_ASSERT(m.y + m.dy >= 48);
  for (const Rect& r : plan->fresh)
    CPPUNIT_ASSERT(r.y >= 48);
  CPPUNIT_ASSERT(apply(a, *plan, b).px == b.px);
}

void ScrollDetectorTest::testDifferentRowRanges() {
  // The previous frame covered rows 0..400, the damage now 100..500 of a taller window.
  const Picture a = terminal(300, 600, 0);
  const Picture b = terminal(300, 600, 1);  // up by 16
  const auto plan = detectScroll(hashes(a, {0, 0, 300, 400}), hashes(b, {0, 100, 300, 400}));
  CPPUNIT_ASSERT(plan);
  CPPUNIT_ASSERT_EQUAL(int32_t(-16), plan->shift);
  for (const ScrollMove& m : plan->moves) {
    CPPUNIT_ASSERT(m.y >= 0 && m.y + int32_t(m.h) <= 400);                  // from rows we knew
    CPPUNIT_ASSERT(m.y + m.dy >= 100 && m.y + m.dy + int32_t(m.h) <= 500);  // into the damage
  }
  // Rows 384..500 moved from 400..516, which the previous frame did not cover: fresh.
  CPPUNIT_ASSERT(!plan->fresh.empty() &&
                 plan->fresh.back().y + int32_t(plan->fresh.back().h) == 500);
}

void ScrollDetectorTest::testNoScrollOnNewContent() {
  const Rect area{0, 0, 320, 240};
  const Picture a = terminal(320, 240, 0), b = terminal(320, 240, 1000);  // a new page
  std::string why;
  CPPUNIT_ASSERT(!detectScroll(hashes(a, area), hashes(b, area), {}, &why));
  CPPUNIT_ASSERT(!why.empty());
  // Identical frames are not a scroll either (nothing moved).
  CPPUNIT_ASSERT(!detectScroll(hashes(a, area), hashes(a, area), {}, &why));
  // Three quarters of the rows new (noise), the rest shifted: below 50%.
  Picture c = terminal(320, 240, 2);
  std::mt19937 rng(3);
  for (uint32_t y = 0; y < 180; ++y) {
    for (uint32_t x = 0; x < 320; ++x)
      c.at(x, y) = rng();
  }
  CPPUNIT_ASSERT(!detectScroll(hashes(a, area), hashes(c, area), {}, &why));
  CPPUNIT_ASSERT_MESSAGE(why, why.find("matches") != std::string::npos);
}

void ScrollDetectorTest::testRefusals() {
  const Picture a = terminal(320, 320, 0), b = terminal(320, 320, 1);
  std::string why;
  // Different columns.
  CPPUNIT_ASSERT(!detectScroll(hashes(a, {0, 0, 320, 320}), hashes(b, {8, 0, 312, 320}), {}, &why));
  // Too small.
  CPPUNIT_ASSERT(!detectScroll(hashes(a, {0, 0, 320, 32}), hashes(b, {0, 0, 320, 32}), {}, &why));
  // Hashes that do not match their area are refused, not read out of bounds.
  RowHashes broken = hashes(a, {0, 0, 320, 320});
  broken.rows.resize(10);
  CPPUNIT_ASSERT(!detectScroll(broken, hashes(b, {0, 0, 320, 320}), {}, &why));
  // Too fragmented: every other line changes as well as the scroll.
  Picture c = terminal(320, 320, 1);
  for (uint32_t top = 0; top < 320; top += 32)
    writeLine(c, top, 9000 + top * 5);  // never a blank line
  ScrollSettings loose;
  loose.minPercent = 10;
  CPPUNIT_ASSERT(
      !detectScroll(hashes(a, {0, 0, 320, 320}), hashes(c, {0, 0, 320, 320}), loose, &why));
  CPPUNIT_ASSERT_MESSAGE(why, why.find("fragmented") != std::string::npos);
}
