#include "rdk/encoding/scroll_detector.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace rdk::encoding {

std::vector<uint64_t> hashRows(const uint8_t* pixels, size_t stride, size_t rowBytes,
                               uint32_t rows) {
  std::vector<uint64_t> out(rows);
  for (uint32_t i = 0; i < rows; ++i)
    out[i] = XXH3_64bits(pixels + size_t{i} * stride, rowBytes);
  return out;
}

namespace {

void say(std::string* why, std::string text) {
  if (why)
    *why = std::move(text);
}

enum class RowKind : uint8_t { kFresh, kUnchanged, kMoved };

}  // namespace

std::optional<ScrollPlan> detectScroll(const RowHashes& previous, const RowHashes& current,
                                       const ScrollSettings& settings, std::string* why) {
  const Rect& p = previous.area;
  const Rect& c = current.area;
  if (p.x != c.x || p.w != c.w || p.empty() || c.empty()) {
    say(why, "no previous frame of these columns");
    return std::nullopt;
  }
  if (previous.rows.size() != p.h || current.rows.size() != c.h) {
    say(why, "row hashes do not match the area");
    return std::nullopt;
  }
  if (c.w < settings.minSide || c.h < settings.minSide) {
    say(why, "area too small to scroll");
    return std::nullopt;
  }
  // Candidate shifts by voting: every current row votes for the shifts that would bring an equal
  // previous row to it. Rows repeated more than maxBucket times (blank lines) carry no information.
  std::unordered_map<uint64_t, std::vector<int32_t>> positions;  // hash -> previous absolute rows
  positions.reserve(previous.rows.size());
  for (uint32_t i = 0; i < p.h; ++i)
    positions[previous.rows[i]].push_back(p.y + static_cast<int32_t>(i));
  std::unordered_map<int32_t, uint32_t> votes;
  for (uint32_t i = 0; i < c.h; ++i) {
    auto it = positions.find(current.rows[i]);
    if (it == positions.end() || it->second.size() > settings.maxBucket)
      continue;
    const int32_t row = c.y + static_cast<int32_t>(i);
    for (int32_t from : it->second) {
      const int32_t shift = row - from;
      if (shift != 0 && static_cast<uint32_t>(std::abs(shift)) <= settings.maxDistance)
        ++votes[shift];
    }
  }
  int32_t shift = 0;
  uint32_t best = 0;
  for (const auto& [s, n] : votes) {
    if (n > best || (n == best && std::abs(s) < std::abs(shift))) {
      shift = s;
      best = n;
    }
  }
  if (best == 0) {
    say(why, "no shifted rows");
    return std::nullopt;
  }

  // Classify each current row for that shift; moving is preferred to "unchanged" so that blank
  // rows inside scrolled text do not cut the move into pieces.
  const auto previousRow = [&](int64_t absolute) -> const uint64_t* {
    if (absolute < p.y || absolute >= int64_t{p.y} + p.h)
      return nullptr;
    return &previous.rows[static_cast<size_t>(absolute - p.y)];
  };
  std::vector<RowKind> kind(c.h, RowKind::kFresh);
  ScrollPlan plan;
  plan.shift = shift;
  for (uint32_t i = 0; i < c.h; ++i) {
    const int64_t row = int64_t{c.y} + i;
    if (const uint64_t* from = previousRow(row - shift); from && *from == current.rows[i]) {
      kind[i] = RowKind::kMoved;
      ++plan.movedRows;
    } else if (const uint64_t* same = previousRow(row); same && *same == current.rows[i]) {
      kind[i] = RowKind::kUnchanged;
      ++plan.unchangedRows;
    } else {
      ++plan.freshRows;
    }
  }
  const uint32_t matchPercent = (plan.movedRows + plan.unchangedRows) * 100 / c.h;
  char buf[160];
  if (matchPercent < settings.minPercent) {
    std::snprintf(buf, sizeof(buf), "shift %d matches %u%% of %u rows (< %u%%)", shift,
                  matchPercent, c.h, settings.minPercent);
    say(why, buf);
    return std::nullopt;
  }
  // Runs of moved rows become moves (source position + delta); runs of fresh rows, pictures.
  for (uint32_t i = 0; i < c.h;) {
    uint32_t j = i;
    while (j < c.h && kind[j] == kind[i])
      ++j;
    const int32_t y = c.y + static_cast<int32_t>(i);
    if (kind[i] == RowKind::kMoved)
      plan.moves.push_back(ScrollMove{c.x, y - shift, c.w, j - i, 0, shift});
    else if (kind[i] == RowKind::kFresh)
      plan.fresh.push_back(Rect{c.x, y, c.w, j - i});
    i = j;
  }
  // Fresh runs a few rows apart go as one picture: the rows between (blank text rows that look
  // unchanged, or moved ones) are painted with what they hold anyway, after the moves.
  std::vector<Rect> merged;
  for (const Rect& r : plan.fresh) {
    if (!merged.empty() && r.y - (merged.back().y + static_cast<int32_t>(merged.back().h)) <=
                               static_cast<int32_t>(settings.mergeGap)) {
      merged.back().h = static_cast<uint32_t>(r.y + static_cast<int32_t>(r.h) - merged.back().y);
    } else {
      merged.push_back(r);
    }
  }
  plan.fresh = std::move(merged);
  if (plan.moves.size() + plan.fresh.size() >= settings.maxPieces) {
    std::snprintf(buf, sizeof(buf), "shift %d too fragmented: %zu moves, %zu fresh runs", shift,
                  plan.moves.size(), plan.fresh.size());
    say(why, buf);
    return std::nullopt;
  }
  std::snprintf(buf, sizeof(buf), "scroll by %d: %u rows moved, %u unchanged, %u new", shift,
                plan.movedRows, plan.unchangedRows, plan.freshRows);
  plan.why = buf;
  say(why, plan.why);
  return plan;
}

}  // namespace rdk::encoding
