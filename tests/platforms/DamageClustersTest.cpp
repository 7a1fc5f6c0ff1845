#include "DamageClustersTest.h"

#include <vector>

#include "damage_clusters.h"

using rdk::x11::clusterDamage;

CPPUNIT_TEST_SUITE_REGISTRATION(DamageClustersTest);

namespace {
bool contains(const rdk_rect& outer, const rdk_rect& r) {
  return r.x >= outer.x && r.y >= outer.y && int64_t{r.x} + r.w <= int64_t{outer.x} + outer.w &&
         int64_t{r.y} + r.h <= int64_t{outer.y} + outer.h;
}
bool covered(const std::vector<rdk_rect>& boxes, const rdk_rect& r) {
  for (const rdk_rect& b : boxes)
    if (contains(b, r))
      return true;
  return false;
}
}  // namespace

void DamageClustersTest::testDistantAreasStayApart() {
  // A spinning ico's spans on the left and a clock's anti-aliased hands far right, 200 rects in
  // one poll: two boxes, not one 1682x631 picture.
  std::vector<rdk_rect> in;
  for (int i = 0; i < 120; ++i)
    in.push_back({105 + (i % 12) * 48, 105 + (i / 12) * 58, 40, 50});
  for (int i = 0; i < 80; ++i)
    in.push_back({1516 + (i % 8) * 33, 66 + (i / 8) * 27, static_cast<uint32_t>(3 + i % 5), 2});
  const auto boxes = clusterDamage(in, 64, 64);
  CPPUNIT_ASSERT_EQUAL(size_t(2), boxes.size());
  for (const rdk_rect& r : in)
    CPPUNIT_ASSERT(covered(boxes, r));
  for (const rdk_rect& b : boxes)
    CPPUNIT_ASSERT(b.x + int64_t{b.w} < 1000 || b.x > 1000);
}

void DamageClustersTest::testTextLinesJoinOneBox() {
  // A terminal's glyph runs (gaps of a few pixels between words and lines): one box, as before.
  std::vector<rdk_rect> in;
  for (int line = 0; line < 60; ++line)
    for (int word = 0; word < 20; ++word)
      in.push_back({3 + word * 60, 3 + line * 13, 50, 11});
  const auto boxes = clusterDamage(in, 64, 64);
  CPPUNIT_ASSERT_EQUAL(size_t(1), boxes.size());
  CPPUNIT_ASSERT_EQUAL(int32_t(3), boxes[0].x);
  CPPUNIT_ASSERT_EQUAL(uint32_t(19 * 60 + 50), boxes[0].w);
  CPPUNIT_ASSERT_EQUAL(uint32_t(59 * 13 + 11), boxes[0].h);
}

void DamageClustersTest::testBoundedAndCovering() {
  // Scattered noise far apart (worse than any desktop): never more than maxOut boxes, all of the
  // damage covered; empty rectangles ignored.
  std::vector<rdk_rect> in;
  uint32_t seed = 7;
  for (int i = 0; i < 4000; ++i) {
    seed = seed * 1103515245u + 12345u;
    const int32_t x = static_cast<int32_t>((seed >> 8) % 3800);
    seed = seed * 1103515245u + 12345u;
    const int32_t y = static_cast<int32_t>((seed >> 8) % 2100);
    in.push_back({x, y, 1 + seed % 30, (seed >> 4) % 3 == 0 ? 0u : 1 + (seed >> 6) % 30});
  }
  for (size_t maxOut : {size_t(1), size_t(8), size_t(64)}) {
    const auto boxes = clusterDamage(in, 64, maxOut);
    CPPUNIT_ASSERT(!boxes.empty() && boxes.size() <= maxOut);
    for (const rdk_rect& r : in)
      if (r.w > 0 && r.h > 0)
        CPPUNIT_ASSERT(covered(boxes, r));
  }
  CPPUNIT_ASSERT(clusterDamage({}, 64, 64).empty());
  CPPUNIT_ASSERT(clusterDamage({{5, 5, 0, 9}}, 64, 64).empty());
}
