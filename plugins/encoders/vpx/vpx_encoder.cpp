#include <libyuv.h>
#include <vpx/vp8cx.h>

#include <algorithm>
#include <thread>

#include "vpx_codec.hpp"

namespace rdk::vpx {

namespace {
// Xpra quality 0..100 -> vpx quantizer 56..4 (63 looks broken even for motion).
int quantizer(int quality) {
  return 56 - 52 * std::clamp(quality, 0, 100) / 100;
}

uint32_t derivedBitrateKbps(uint32_t w, uint32_t h, int quality) {
  // ~0.05..0.3 bits per pixel at 30 fps: only a ceiling for constant-quality mode.
  const double bpp = 0.05 + 0.25 * std::clamp(quality, 0, 100) / 100.0;
  return static_cast<uint32_t>(std::max(100.0, w * static_cast<double>(h) * 30.0 * bpp / 1000.0));
}
}  // namespace

VpxEncoder::VpxEncoder(const EncoderSettings& settings) : settings_(settings) {
  if (settings.width == 0 || settings.height == 0 || settings.width > 16383 ||
      settings.height > 16383)
    throw Error(RDK_E_INVALID_ARG, "vpx size out of range");
  vpx_codec_iface_t* iface = settings.vp9 ? vpx_codec_vp9_cx() : vpx_codec_vp8_cx();
  if (vpx_codec_enc_config_default(iface, &cfg_, 0) != VPX_CODEC_OK)
    throw Error(RDK_E_INTERNAL, "vpx_codec_enc_config_default failed");
  cfg_.g_w = settings.width;
  cfg_.g_h = settings.height;
  cfg_.g_timebase = {1, 30};
  int threads = settings.threads;
  if (threads <= 0) {
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    threads =
        settings.width * settings.height >= 1280u * 720u ? static_cast<int>(std::min(hw, 4u)) : 1;
  }
  cfg_.g_threads = static_cast<unsigned>(threads);
  cfg_.g_lag_in_frames = 0;  // real time: no look-ahead
  cfg_.g_error_resilient = settings.errorResilient ? VPX_ERROR_RESILIENT_DEFAULT : 0;
  cfg_.rc_dropframe_thresh = 0;  // every damage frame must produce a picture
  cfg_.rc_resize_allowed = 0;
  cfg_.kf_mode = settings.keyframeInterval > 0 ? VPX_KF_AUTO : VPX_KF_DISABLED;
  cfg_.kf_min_dist = 0;
  cfg_.kf_max_dist =
      settings.keyframeInterval > 0 ? static_cast<unsigned>(settings.keyframeInterval) : 0;
  cfg_.rc_end_usage = settings.bitrateKbps > 0 ? VPX_CBR : VPX_Q;
  cfg_.rc_target_bitrate = settings.bitrateKbps > 0
                               ? settings.bitrateKbps
                               : derivedBitrateKbps(settings.width, settings.height, 80);
  cfg_.rc_min_quantizer = std::max(0, quantizer(80) - 4);
  cfg_.rc_max_quantizer = std::min(63, quantizer(80) + 4);
  if (vpx_codec_enc_init(&ctx_, iface, &cfg_, 0) != VPX_CODEC_OK)
    throw Error(RDK_E_INTERNAL, std::string("vpx_codec_enc_init: ") + vpx_codec_error(&ctx_));
  initialised_ = true;
  // Desktop frames are mostly unchanged: skip macroblocks whose prediction error is below 1 (i.e.
  // identical) instead of coding them, which costs nothing in quality.
  vpx_codec_control(&ctx_, VP8E_SET_STATIC_THRESHOLD, 1);
  if (settings.vp9) {
    vpx_codec_control(&ctx_, VP9E_SET_ROW_MT, 1);
    int log2 = 0;
    while ((1 << (log2 + 1)) <= threads)
      ++log2;
    vpx_codec_control(&ctx_, VP9E_SET_TILE_COLUMNS, log2);
    vpx_codec_control(&ctx_, VP9E_SET_TUNE_CONTENT, VP9E_CONTENT_SCREEN);
    vpx_codec_control(&ctx_, VP9E_SET_AQ_MODE, 3);  // cyclic refresh, the real-time default
  } else {
    int log2 = 0;
    while ((1 << (log2 + 1)) <= threads && log2 < 3)
      ++log2;
    vpx_codec_control(&ctx_, VP8E_SET_TOKEN_PARTITIONS, log2);
    vpx_codec_control(&ctx_, VP8E_SET_NOISE_SENSITIVITY, 0);
    vpx_codec_control(&ctx_, VP8E_SET_SCREEN_CONTENT_MODE, 1);
  }
  if (!vpx_img_alloc(&image_, VPX_IMG_FMT_I420, settings.width, settings.height, 32))
    throw Error(RDK_E_NO_MEMORY, "vpx_img_alloc failed");
  imageAllocated_ = true;
}

VpxEncoder::~VpxEncoder() {
  if (imageAllocated_)
    vpx_img_free(&image_);
  if (initialised_)
    vpx_codec_destroy(&ctx_);
}

std::string VpxEncoder::error(const char* what) {
  const char* detail = vpx_codec_error_detail(&ctx_);
  return std::string(what) + ": " + vpx_codec_error(&ctx_) +
         (detail ? std::string(" (") + detail + ")" : "");
}

void VpxEncoder::applyRate(int quality, uint32_t bitrateKbps) {
  const bool cbr = cfg_.rc_end_usage == VPX_CBR;
  const uint32_t target = cbr ? (bitrateKbps > 0 ? bitrateKbps : cfg_.rc_target_bitrate)
                              : derivedBitrateKbps(cfg_.g_w, cfg_.g_h, quality);
  if (quality == quality_ && target == cfg_.rc_target_bitrate)
    return;
  cfg_.rc_target_bitrate = target;
  const int q = quantizer(quality);
  // Constant quality keeps the quantizer within +-4 of the target (libvpx wants a range of at
  // least 8); CBR only bounds it so the bitrate can be met.
  cfg_.rc_min_quantizer = cbr ? std::min(q, 4) : std::max(0, q - 4);
  cfg_.rc_max_quantizer = cbr ? std::max(q, 56) : std::min(63, q + 4);
  if (vpx_codec_enc_config_set(&ctx_, &cfg_) != VPX_CODEC_OK)
    throw Error(RDK_E_INTERNAL, error("vpx config"));
  if (!cbr)
    vpx_codec_control(&ctx_, VP8E_SET_CQ_LEVEL, q);
  quality_ = quality;
}

void VpxEncoder::applySpeed(int speed) {
  if (speed == speed_)
    return;
  const int cpuUsed = settings_.vp9 ? codec::mapRange(speed, 5, 9) : codec::mapRange(speed, 4, 16);
  if (vpx_codec_control(&ctx_, VP8E_SET_CPUUSED, cpuUsed) != VPX_CODEC_OK)
    throw Error(RDK_E_INTERNAL, error("vpx cpu-used"));
  speed_ = speed;
}

Encoded VpxEncoder::encode(const rdk_image& img, const rdk_encode_params& params) {
  codec::checkInput(img);
  if (img.width != settings_.width || img.height != settings_.height)
    throw Error(RDK_E_INVALID_ARG, "video encoder is " + std::to_string(settings_.width) + "x" +
                                       std::to_string(settings_.height) + ", frame is " +
                                       std::to_string(img.width) + "x" +
                                       std::to_string(img.height));
  const int quality = codec::scale(params.quality, 80);
  const int speed = codec::scale(params.speed, 50);
  applyRate(quality, params.bitrate_kbps);
  applySpeed(speed);
  // libyuv's "ARGB" is B,G,R,A in memory: our BGRX.
  libyuv::ARGBToI420(img.pixels, static_cast<int>(img.stride), image_.planes[VPX_PLANE_Y],
                     image_.stride[VPX_PLANE_Y], image_.planes[VPX_PLANE_U],
                     image_.stride[VPX_PLANE_U], image_.planes[VPX_PLANE_V],
                     image_.stride[VPX_PLANE_V], static_cast<int>(img.width),
                     static_cast<int>(img.height));
  const bool forceKey = keyframeRequested_ || (params.flags & RDK_ENCODE_KEYFRAME) != 0;
  if (forceKey)
    frame_ = 0;  // a new stream for the client's decoder as well
  if (vpx_codec_encode(&ctx_, &image_, pts_++, 1, forceKey ? VPX_EFLAG_FORCE_KF : 0,
                       VPX_DL_REALTIME) != VPX_CODEC_OK)
    throw Error(RDK_E_INTERNAL, error("vpx encode"));
  keyframeRequested_ = false;
  Encoded out;
  out.coding = settings_.vp9 ? "vp9" : "vp8";
  vpx_codec_iter_t iter = nullptr;
  while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&ctx_, &iter)) {
    if (pkt->kind != VPX_CODEC_CX_FRAME_PKT)
      continue;
    const auto* p = static_cast<const uint8_t*>(pkt->data.frame.buf);
    out.data.insert(out.data.end(), p, p + pkt->data.frame.sz);
    if (pkt->data.frame.flags & VPX_FRAME_IS_KEY)
      out.flags |= RDK_ENCODED_KEYFRAME;
  }
  if (out.data.empty())
    throw Error(RDK_E_AGAIN, "vpx produced no frame");  // drops are disabled
  out.optionsJson = "{\"frame\":" + std::to_string(frame_++) +
                    ",\"csc\":\"YUV420P\",\"quality\":" + std::to_string(quality) +
                    ",\"speed\":" + std::to_string(speed) + "}";
  return out;
}

}  // namespace rdk::vpx
