#include "cursor_image.h"

#include <X11/extensions/Xfixes.h>

#include "json_text.h"

namespace rdk::x11 {

bool readCursorImage(Display* display, CursorImage& out) {
  XFixesCursorImage* cursor = XFixesGetCursorImage(display);
  if (!cursor)
    return false;
  const uint32_t w = cursor->width, h = cursor->height;
  out.pixels.resize(static_cast<size_t>(w) * h * 4);
  for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) {
    // XFixes hands out one ARGB pixel per unsigned long, whatever the size of a long.
    const auto argb = static_cast<uint32_t>(cursor->pixels[i]);
    out.pixels[i * 4 + 0] = static_cast<uint8_t>(argb);
    out.pixels[i * 4 + 1] = static_cast<uint8_t>(argb >> 8);
    out.pixels[i * 4 + 2] = static_cast<uint8_t>(argb >> 16);
    out.pixels[i * 4 + 3] = static_cast<uint8_t>(argb >> 24);
  }
  out.image = rdk_image{};
  out.image.struct_size = sizeof(out.image);
  out.image.width = w;
  out.image.height = h;
  out.image.stride = w * 4;
  out.image.format = RDK_PIXEL_BGRA;
  out.image.pixels = out.pixels.data();
  out.metadataJson = "{\"name\":" + jsonString(cursor->name ? cursor->name : "") +
                     ",\"serial\":" + std::to_string(cursor->cursor_serial) + "}";
  out.hotspotAndSize = rdk_rect{cursor->xhot, cursor->yhot, w, h};
  XFree(cursor);
  return true;
}

}  // namespace rdk::x11
