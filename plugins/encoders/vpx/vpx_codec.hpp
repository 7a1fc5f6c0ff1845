// vp8/vp9 with libvpx in real-time mode.
//
// Encoder settings (encoder-create options_json, else host config, else default):
//   "keyframe_interval" / encoder.keyframe-interval  frames between automatic key frames, 0 = only
//                                                    on demand (default 0)
//   "threads"           / encoder.vpx.threads        default: 1 below 1280x720, else up to 4
//   "error_resilient"   / encoder.vpx.error-resilient default 1
//   "bitrate_kbps"                                   > 0: constant bitrate at that target, the
//                                                    per-frame params.bitrate_kbps updates it;
//                                                    otherwise constant quality from params.quality
// Per frame: quality 0..100 -> quantizer 56..4; speed 0..100 -> cpu-used 4..16 (vp8), 5..9 (vp9);
// RDK_ENCODE_KEYFRAME or requestKeyframe() forces a key frame, which restarts the "frame" counter
// at 0 so a stock Xpra client resets its decoder too. Draw options: {"frame":n,"csc":"YUV420P",
// "quality":q,"speed":s}.
#pragma once

#include <vpx/vpx_decoder.h>
#include <vpx/vpx_encoder.h>

#include <string>
#include <string_view>

#include "codec_util.hpp"
#include "rdk/plugin.hpp"

namespace rdk::vpx {

struct EncoderSettings {
  bool vp9 = false;
  uint32_t width = 0;
  uint32_t height = 0;
  int keyframeInterval = 0;
  int threads = 0;  // 0 = automatic
  bool errorResilient = true;
  uint32_t bitrateKbps = 0;  // 0 = constant quality
};

class VpxEncoder : public Encoder {
 public:
  explicit VpxEncoder(const EncoderSettings& settings);
  ~VpxEncoder() override;
  VpxEncoder(const VpxEncoder&) = delete;
  VpxEncoder& operator=(const VpxEncoder&) = delete;

  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override;
  void requestKeyframe() override { keyframeRequested_ = true; }

 private:
  void applyRate(int quality, uint32_t bitrateKbps);
  void applySpeed(int speed);
  std::string error(const char* what);

  EncoderSettings settings_;
  vpx_codec_ctx_t ctx_{};
  vpx_codec_enc_cfg_t cfg_{};
  vpx_image_t image_{};
  bool initialised_ = false;
  bool imageAllocated_ = false;
  bool keyframeRequested_ = true;
  int64_t pts_ = 0;
  int64_t frame_ = 0;
  int quality_ = -2;
  int speed_ = -2;
};

class VpxDecoder : public Decoder {
 public:
  VpxDecoder(bool vp9, uint32_t width, uint32_t height);
  ~VpxDecoder() override;
  VpxDecoder(const VpxDecoder&) = delete;
  VpxDecoder& operator=(const VpxDecoder&) = delete;
  void decode(rdk_bytes data, std::string_view optionsJson, rdk_image_out& out) override;

 private:
  vpx_codec_ctx_t ctx_{};
  bool vp9_;
};

}  // namespace rdk::vpx
