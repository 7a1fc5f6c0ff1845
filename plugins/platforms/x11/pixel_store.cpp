#include "pixel_store.h"

#include <sys/ipc.h>
#include <sys/shm.h>

#include "rdk/plugin.hpp"

namespace rdk::x11 {

void requireBgrxVisual(XConnection& x, Visual* visual, int depth) {
  int formats = 0;
  int bpp = 0;
  XPixmapFormatValues* list = XListPixmapFormats(x.get(), &formats);
  for (int i = 0; i < formats; ++i) {
    if (list[i].depth == depth)
      bpp = list[i].bits_per_pixel;
  }
  if (list)
    XFree(list);
  const bool ok = (depth == 24 || depth == 32) && bpp == 32 && visual->c_class == TrueColor &&
                  visual->red_mask == 0xff0000 && visual->green_mask == 0xff00 &&
                  visual->blue_mask == 0xff && ImageByteOrder(x.get()) == LSBFirst;
  if (!ok) {
    throw Error(RDK_E_UNSUPPORTED, "x11: display " + x.name() + " has depth " +
                                       std::to_string(depth) + " at " + std::to_string(bpp) +
                                       " bits per pixel; only 24-bit TrueColor in 32 bits "
                                       "(BGRX) is supported");
  }
}

PixelStore::PixelStore(XConnection& x, Visual* visual, int depth, bool wantShm)
    : x_(x), visual_(visual), depth_(depth), wantShm_(wantShm && XShmQueryExtension(x.get())) {}

PixelStore::~PixelStore() {
  dropImage();
  detachShm();
}

void PixelStore::dropImage() {
  if (!image_)
    return;
  image_->data = nullptr;  // the memory belongs to the store, not to the XImage
  XDestroyImage(image_);
  image_ = nullptr;
}

bool PixelStore::attachShm(size_t bytes) {
  const int id = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
  if (id < 0)
    return false;
  void* addr = shmat(id, nullptr, 0);
  if (addr == reinterpret_cast<void*>(-1)) {
    shmctl(id, IPC_RMID, nullptr);
    return false;
  }
  shm_ = {};
  shm_.shmid = id;
  shm_.shmaddr = static_cast<char*>(addr);
  shm_.readOnly = False;
  XErrorTrap trap(x_.get());
  const Status attached = XShmAttach(x_.get(), &shm_);
  const int error = trap.sync();
  // Marked for removal now: the segment lives until both we and the X server detach.
  shmctl(id, IPC_RMID, nullptr);
  if (!attached || error != 0) {  // e.g. BadAccess from a server on another host
    shmdt(addr);
    shm_ = {};
    return false;
  }
  shmAttached_ = true;
  return true;
}

void PixelStore::detachShm() {
  if (!shmAttached_)
    return;
  if (x_.alive()) {
    XShmDetach(x_.get(), &shm_);
    XSync(x_.get(), False);
  }
  shmdt(shm_.shmaddr);
  shm_ = {};
  shmAttached_ = false;
}

void PixelStore::reserve(size_t bytes) {
  if (bytes <= capacity_)
    return;
  dropImage();
  detachShm();
  heap_.clear();
  heap_.shrink_to_fit();
  if (wantShm_ && attachShm(bytes)) {
    capacity_ = bytes;
    return;
  }
  wantShm_ = false;  // MIT-SHM failed once; the socket path is used from now on
  heap_.resize(bytes);
  capacity_ = bytes;
}

XImage* PixelStore::image(uint32_t width, uint32_t height) {
  if (width == 0 || height == 0 || width > 16384 || height > 16384) {
    throw Error(RDK_E_INVALID_ARG, "x11: image size " + std::to_string(width) + "x" +
                                       std::to_string(height) + " out of range");
  }
  reserve(static_cast<size_t>(width) * height * 4);
  if (image_ && static_cast<uint32_t>(image_->width) == width &&
      static_cast<uint32_t>(image_->height) == height) {
    return image_;
  }
  dropImage();
  if (shmAttached_) {
    image_ =
        XShmCreateImage(x_.get(), visual_, depth_, ZPixmap, shm_.shmaddr, &shm_, width, height);
  } else {
    image_ = XCreateImage(x_.get(), visual_, depth_, ZPixmap, 0,
                          reinterpret_cast<char*>(heap_.data()), width, height, 32, width * 4);
  }
  if (!image_)
    throw Error(RDK_E_NO_MEMORY, "x11: cannot create an XImage");
  return image_;
}

XImage* PixelStore::read(Drawable drawable, int x, int y, uint32_t width, uint32_t height) {
  XImage* img = image(width, height);
  XErrorTrap trap(x_.get());
  if (shmAttached_) {
    XShmGetImage(x_.get(), drawable, img, x, y, AllPlanes);
  } else {
    XGetSubImage(x_.get(), drawable, x, y, width, height, AllPlanes, ZPixmap, img, 0, 0);
  }
  const int error = trap.sync();
  x_.requireAlive();
  if (error != 0) {
    throw Error(RDK_E_INVALID_ARG, "x11: reading " + std::to_string(width) + "x" +
                                       std::to_string(height) + "+" + std::to_string(x) + "+" +
                                       std::to_string(y) +
                                       " failed: " + errorText(x_.get(), error));
  }
  return img;
}

void PixelStore::write(Drawable drawable, GC gc, XImage* img, int x, int y, uint32_t w,
                       uint32_t h) {
  if (shmAttached_) {
    XShmPutImage(x_.get(), drawable, gc, img, x, y, x, y, w, h, False);
    // The X server reads shared memory asynchronously; wait so the caller may overwrite it.
    XSync(x_.get(), False);
  } else {
    XPutImage(x_.get(), drawable, gc, img, x, y, x, y, w, h);
    XFlush(x_.get());
  }
}

}  // namespace rdk::x11
