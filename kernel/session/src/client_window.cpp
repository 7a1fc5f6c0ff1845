#include "rdk/session/client_window.h"

#include <algorithm>
#include <cstring>

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
