// WindowStreamer's scroll draws (Xpra 3.1.3 `scroll` encoding): per window, row hashes of what
// the client shows in the areas last sent as pictures; a damaged area that is a vertical shift of
// one of them goes as a scroll draw (the client copies rows it has) plus pictures of the new rows.
#include <algorithm>

#include "rdk/session/window_streamer.h"

namespace rdk::session {

namespace {

// Areas remembered per window: a terminal and a few other scrolling views are enough.
constexpr size_t kMaxScrollRefs = 4;

bool rowsOverlap(const encoding::Rect& a, const encoding::Rect& b) {
  return a.y < b.y + static_cast<int32_t>(b.h) && b.y < a.y + static_cast<int32_t>(a.h);
}

}  // namespace

void WindowStreamer::setWindowScrolling(uint64_t wid, bool enabled) {
  auto it = streams_.find(wid);
  if (it != streams_.end())
    it->second.scrolling = enabled;
}

bool WindowStreamer::scrollingFor(const Stream& stream) const {
  return stream.scrolling.value_or(scrolling_);
}

void WindowStreamer::forgetRows(Stream& stream, const encoding::Rect& region) {
  std::erase_if(stream.scrollRefs, [&](const ScrollRef& ref) {
    return !encoding::intersect(ref.hashes.area, region).empty();
  });
}

void WindowStreamer::rememberRows(Stream& stream, const encoding::Rect& region,
                                  const rdk_image& image, bool lossy) {
  if (region.w < scrollSettings_.minSide || region.h < scrollSettings_.minSide)
    return;
  forgetRows(stream, region);
  if (stream.scrollRefs.size() >= kMaxScrollRefs)
    stream.scrollRefs.erase(stream.scrollRefs.begin());
  ScrollRef ref;
  ref.hashes.area = region;
  ref.hashes.rows =
      encoding::hashRows(image.pixels, image.stride, size_t{image.width} * 4, image.height);
  ref.lossy = lossy;
  stream.scrollRefs.push_back(std::move(ref));
}

bool WindowStreamer::tryScroll(uint64_t wid, Stream& stream, const encoding::Rect& region,
                               const encoding::Choice& choice, const encoding::NetworkState& net,
                               uint64_t nowUs) {
  if (choice.refresh || region.w < scrollSettings_.minSide || region.h < scrollSettings_.minSide)
    return false;
  auto ref =
      std::find_if(stream.scrollRefs.begin(), stream.scrollRefs.end(), [&](const ScrollRef& r) {
        return r.hashes.area.x == region.x && r.hashes.area.w == region.w &&
               rowsOverlap(r.hashes.area, region);
      });
  if (ref == stream.scrollRefs.end())
    return false;
  rdk_image image{};
  if (!desktop_.platform().capture(wid, rdk_rect{region.x, region.y, region.w, region.h}, &image,
                                   &lastError_)) {
    ++stats_.encodeErrors;
    return true;  // nothing to send; the next damage tries again
  }
  encoding::RowHashes current;
  current.area = region;
  current.rows =
      encoding::hashRows(image.pixels, image.stride, size_t{image.width} * 4, image.height);
  std::string why;
  const auto plan = encoding::detectScroll(ref->hashes, current, scrollSettings_, &why);
  if (!plan) {
    scheduleImage(wid, stream, region, choice, image, nowUs);
    ScrollRef next{std::move(current), !choice.lossless};
    forgetRows(stream, region);
    stream.scrollRefs.push_back(std::move(next));
    return true;
  }
  const bool movedLossy = ref->lossy;

  // The scroll draw: no encode, sent reliably in the window's order (the lane).
  auto job = std::make_shared<EncodeJob>();
  job->region = region;
  job->choice = choice;
  job->choice.encoding = protocol::Draw::kScrollCoding;
  for (const encoding::ScrollMove& m : plan->moves)
    job->scrolls.push_back(protocol::DrawScroll{m.x, m.y, m.w, m.h, m.dx, m.dy});
  book(wid, stream, *job, rdk_rect{region.x, region.y, region.w, region.h}, false, nowUs, {});
  post(stream, std::move(job));
  if (movedLossy) {
    // Lossy pixels moved along: the refresh must cover where they went.
    encoding::Choice moved;
    moved.encoding = protocol::Draw::kScrollCoding;
    stream.state.onEncoded(moved, region, nowUs);
  }

  // The new rows: kept sharp (Xpra boosts the quality of the non-scrolled rows too).
  encoding::ChooseOptions sharp;
  sharp.allowVideo = false;
  sharp.preferLossless = true;
  bool freshLossy = false;
  for (const encoding::Rect& fresh : plan->fresh) {
    const encoding::Choice c = selector_.choose(stream.state, fresh, net, nowUs, sharp);
    if (c.encoding.empty())
      continue;
    rdk_image rows = image;
    rows.height = fresh.h;
    rows.pixels = image.pixels + size_t(fresh.y - region.y) * image.stride;
    scheduleImage(wid, stream, fresh, c, rows, nowUs, region);
    freshLossy = freshLossy || !c.lossless;
  }
  // After the draws above the client shows |current| in the area.
  forgetRows(stream, region);
  stream.scrollRefs.push_back(ScrollRef{std::move(current), movedLossy || freshLossy});
  stream.scrolls.area = stream.scrolls.lastUs != 0 && stream.scrolls.recent(region, nowUs)
                            ? encoding::boundingBox(stream.scrolls.area, region)
                            : region;
  stream.scrolls.lastUs = nowUs;
  ++stats_.scrolls;
  stats_.scrolledRows += plan->movedRows;
  stream.info.choice = protocol::Draw::kScrollCoding;
  stream.info.why = plan->why;
  return true;
}

}  // namespace rdk::session
