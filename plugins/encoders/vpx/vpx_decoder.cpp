#include <libyuv.h>
#include <vpx/vp8dx.h>

#include <algorithm>
#include <thread>

#include "vpx_codec.hpp"

namespace rdk::vpx {

VpxDecoder::VpxDecoder(bool vp9, uint32_t width, uint32_t height) : vp9_(vp9) {
  vpx_codec_dec_cfg_t cfg{};
  cfg.w = width;
  cfg.h = height;
  cfg.threads = width * height >= 1280u * 720u
                    ? std::min(4u, std::max(1u, std::thread::hardware_concurrency()))
                    : 1;
  if (vpx_codec_dec_init(&ctx_, vp9 ? vpx_codec_vp9_dx() : vpx_codec_vp8_dx(), &cfg, 0) !=
      VPX_CODEC_OK)
    throw Error(RDK_E_INTERNAL, std::string("vpx_codec_dec_init: ") + vpx_codec_error(&ctx_));
}

VpxDecoder::~VpxDecoder() {
  vpx_codec_destroy(&ctx_);
}

void VpxDecoder::decode(rdk_bytes data, std::string_view, rdk_image_out& out) {
  codec::checkOutput(out);
  // An empty buffer means "flush" to libvpx; for us it is a broken draw packet.
  if (data.size == 0 || data.size > (1u << 30))
    throw Error(RDK_E_CORRUPT, "empty or oversized vpx frame");
  if (vpx_codec_decode(&ctx_, data.data, static_cast<unsigned>(data.size), nullptr, 0) !=
      VPX_CODEC_OK) {
    const char* detail = vpx_codec_error_detail(&ctx_);
    throw Error(RDK_E_CORRUPT, std::string(vp9_ ? "vp9" : "vp8") +
                                   " decode: " + vpx_codec_error(&ctx_) +
                                   (detail ? std::string(" (") + detail + ")" : ""));
  }
  vpx_image_t* img = nullptr;
  vpx_codec_iter_t iter = nullptr;
  while (vpx_image_t* next = vpx_codec_get_frame(&ctx_, &iter))
    img = next;
  if (!img)
    throw Error(RDK_E_CORRUPT, "vpx frame decoded to no picture");
  codec::checkSize(img->d_w, img->d_h, out);
  const int w = static_cast<int>(img->d_w), h = static_cast<int>(img->d_h);
  int rc = -1;
  switch (img->fmt) {
    case VPX_IMG_FMT_I420:
      rc = libyuv::I420ToARGB(img->planes[0], img->stride[0], img->planes[1], img->stride[1],
                              img->planes[2], img->stride[2], out.pixels,
                              static_cast<int>(out.stride), w, h);
      break;
    case VPX_IMG_FMT_I444:
      rc = libyuv::I444ToARGB(img->planes[0], img->stride[0], img->planes[1], img->stride[1],
                              img->planes[2], img->stride[2], out.pixels,
                              static_cast<int>(out.stride), w, h);
      break;
    default:
      throw Error(RDK_E_UNSUPPORTED,
                  "vpx picture format " + std::to_string(img->fmt) + " not supported");
  }
  if (rc != 0)
    throw Error(RDK_E_INTERNAL, "yuv to BGRX conversion failed");
}

}  // namespace rdk::vpx
