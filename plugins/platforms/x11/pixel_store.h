// Pixel memory shared with the X server when MIT-SHM works (XShmGetImage/XShmPutImage), plain
// memory moved through the socket otherwise (XGetSubImage/XPutImage). One store backs one stream
// of reads (the shadow capture) or one window's backing image (the client).
#pragma once

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

#include <cstdint>
#include <vector>

#include "x_connection.h"

namespace rdk::x11 {

/// The only pixel layout both sides handle: 32 bits per pixel, 24-bit TrueColor, byte order
/// B,G,R,X in memory (every little-endian X server at depth 24). Throws RDK_E_UNSUPPORTED
/// otherwise, naming what the display offers.
void requireBgrxVisual(XConnection& x, Visual* visual, int depth);

class PixelStore {
 public:
  PixelStore(XConnection& x, Visual* visual, int depth, bool wantShm);
  ~PixelStore();
  PixelStore(const PixelStore&) = delete;
  PixelStore& operator=(const PixelStore&) = delete;

  /// An image of |width| x |height| (stride width * 4) over the store's memory, which grows as
  /// needed. Valid until the next call. Previous pixels are not kept when it grows.
  XImage* image(uint32_t width, uint32_t height);
  /// Reads |width| x |height| at |x|,|y| of |drawable| into image(width, height).
  XImage* read(Drawable drawable, int x, int y, uint32_t width, uint32_t height);
  /// Sends the part |x|,|y|,|w|,|h| of |image| (from this store) to the same place of |drawable|.
  void write(Drawable drawable, GC gc, XImage* image, int x, int y, uint32_t w, uint32_t h);
  bool usingShm() const { return shmAttached_; }

 private:
  void reserve(size_t bytes);
  bool attachShm(size_t bytes);
  void detachShm();
  void dropImage();

  XConnection& x_;
  Visual* visual_;
  int depth_;
  bool wantShm_;
  bool shmAttached_ = false;
  XShmSegmentInfo shm_{};
  std::vector<uint8_t> heap_;
  size_t capacity_ = 0;
  XImage* image_ = nullptr;
};

}  // namespace rdk::x11
