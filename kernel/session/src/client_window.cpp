#include "rdk/session/client_window.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

namespace rdk::session {

void ClientWindow::resize(uint32_t width, uint32_t height) {
  if (width == geometry.w && height == geometry.h && !pixels.empty())
    return;
  std::vector<uint8_t> resized(size_t{width} * height * 4, 0);
  const uint32_t copyW = std::min(width, geometry.w), copyH = std::min(height, geometry.h);
  for (uint32_t row = 0; row < copyH && !pixels.empty(); ++row) {
    std::memcpy(&resized[size_t{row} * width * 4], &pixels[size_t{row} * geometry.w * 4],
                size_t{copyW} * 4);
  }
  pixels.swap(resized);
  geometry.w = width;
  geometry.h = height;
  decoders.clear();  // video decoders are sized
  lastVideoFrame.clear();
}

void ClientWindow::blit(int32_t x, int32_t y, const rdk_image_out& image) {
  if (pixels.size() != size_t{geometry.w} * geometry.h * 4)
    resize(geometry.w, geometry.h);
  for (uint32_t row = 0; row < image.height; ++row) {
    const int64_t dy = int64_t{y} + row;
    if (dy < 0 || dy >= geometry.h)
      continue;
    const int64_t x0 = std::max<int64_t>(0, x);
    const int64_t x1 = std::min<int64_t>(geometry.w, int64_t{x} + image.width);
    if (x1 <= x0)
      continue;
    std::memcpy(&pixels[(size_t(dy) * geometry.w + size_t(x0)) * 4],
                image.pixels + size_t{row} * image.stride + size_t(x0 - x) * 4,
                size_t(x1 - x0) * 4);
  }
}

bool ClientWindow::scroll(const std::vector<protocol::DrawScroll>& moves, rdk_rect* painted,
                          std::string* error) {
  if (pixels.size() != size_t{geometry.w} * geometry.h * 4)
    resize(geometry.w, geometry.h);
  const auto inside = [&](int64_t x, int64_t y, int64_t w, int64_t h) {
    return x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= geometry.w && y + h <= geometry.h;
  };
  int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;
  // Peer values: anything beyond 2^31 is refused before any sum could overflow.
  constexpr int64_t kLimit = int64_t{1} << 31;
  const auto sane = [&](const protocol::DrawScroll& m) {
    for (int64_t v : {m.x, m.y, m.w, m.h, m.dx, m.dy}) {
      if (v <= -kLimit || v >= kLimit)
        return false;
    }
    return true;
  };
  for (const protocol::DrawScroll& m : moves) {
    if (!sane(m) || !inside(m.x, m.y, m.w, m.h) || !inside(m.x + m.dx, m.y + m.dy, m.w, m.h)) {
      *error = "scroll " + std::to_string(m.w) + "x" + std::to_string(m.h) + " at " +
               std::to_string(m.x) + "," + std::to_string(m.y) + " by " + std::to_string(m.dx) +
               "," + std::to_string(m.dy) + " outside the window";
      return false;
    }
    x0 = std::min(x0, m.x + m.dx);
    y0 = std::min(y0, m.y + m.dy);
    x1 = std::max(x1, m.x + m.dx + m.w);
    y1 = std::max(y1, m.y + m.dy + m.h);
  }
  // Every source is read before any destination is written. Bounded: each move is inside the
  // window, and the list length by the protocol (Draw::kMaxScrolls).
  std::vector<std::vector<uint8_t>> sources;
  sources.reserve(moves.size());
  const size_t stride = size_t{geometry.w} * 4;
  for (const protocol::DrawScroll& m : moves) {
    std::vector<uint8_t> rows(size_t(m.w) * size_t(m.h) * 4);
    for (int64_t r = 0; r < m.h; ++r)
      std::memcpy(&rows[size_t(r) * size_t(m.w) * 4],
                  &pixels[size_t(m.y + r) * stride + size_t(m.x) * 4], size_t(m.w) * 4);
    sources.push_back(std::move(rows));
  }
  for (size_t i = 0; i < moves.size(); ++i) {
    const protocol::DrawScroll& m = moves[i];
    for (int64_t r = 0; r < m.h; ++r)
      std::memcpy(&pixels[size_t(m.y + m.dy + r) * stride + size_t(m.x + m.dx) * 4],
                  &sources[i][size_t(r) * size_t(m.w) * 4], size_t(m.w) * 4);
  }
  if (painted) {
    *painted = moves.empty()
                   ? rdk_rect{}
                   : rdk_rect{static_cast<int32_t>(x0), static_cast<int32_t>(y0),
                              static_cast<uint32_t>(x1 - x0), static_cast<uint32_t>(y1 - y0)};
  }
  return true;
}

rdk_image ClientWindow::view() const {
  rdk_image image{};
  image.struct_size = sizeof(image);
  image.width = geometry.w;
  image.height = geometry.h;
  image.stride = geometry.w * 4;
  image.format = RDK_PIXEL_BGRX;
  image.pixels = pixels.data();
  return image;
}

std::vector<uint8_t> composeDesktop(const std::map<uint64_t, ClientWindow>& windows, uint32_t width,
                                    uint32_t height) {
  std::vector<uint8_t> canvas(size_t{width} * height * 4, 0);
  std::vector<const ClientWindow*> order;
  for (const auto& [wid, w] : windows) {
    if (w.kind != WindowKind::Tray)
      order.push_back(&w);
  }
  std::stable_sort(order.begin(), order.end(), [](const ClientWindow* a, const ClientWindow* b) {
    if ((a->kind == WindowKind::OverrideRedirect) != (b->kind == WindowKind::OverrideRedirect)) {
      return b->kind == WindowKind::OverrideRedirect;  // popups above normal windows
    }
    return a->stackOrder < b->stackOrder;
  });
  for (const ClientWindow* w : order) {
    if (w->pixels.size() != size_t{w->geometry.w} * w->geometry.h * 4)
      continue;
    for (uint32_t row = 0; row < w->geometry.h; ++row) {
      const int64_t dy = int64_t{w->geometry.y} + row;
      if (dy < 0 || dy >= height)
        continue;
      const int64_t x0 = std::max<int64_t>(0, w->geometry.x);
      const int64_t x1 = std::min<int64_t>(width, int64_t{w->geometry.x} + w->geometry.w);
      if (x1 <= x0)
        continue;
      std::memcpy(&canvas[(size_t(dy) * width + size_t(x0)) * 4],
                  &w->pixels[(size_t{row} * w->geometry.w + size_t(x0 - w->geometry.x)) * 4],
                  size_t(x1 - x0) * 4);
    }
  }
  return canvas;
}

}  // namespace rdk::session
