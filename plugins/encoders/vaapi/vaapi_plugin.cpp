// The VA-API encoder plugin: h264 on Intel, AMD and other VA-API drivers. Its probe (run by the
// kernel in a child process, so a broken driver cannot take the server down) encodes a synthetic
// picture pair on each render node; without a capable device the plugin is listed as unavailable
// with the probe's reason, never chosen, and negotiation falls back to software encoders. Decoding
// is not offered ("decode":false): clients decode h264 with their own decoders.
#include "rdk_plugin_manifest.h"

#include "codec_util.hpp"
#include "rdk/plugin.hpp"
#include "vaapi_h264_encoder.hpp"
#include "vaapi_probe.hpp"

namespace rdk::vaapi {

namespace {
// Xpra's quality 0..100 onto H.264 QP: 100 is visually lossless for desktop text, 0 still legible.
constexpr int kQpAtQualityZero = 45;
constexpr int kQpAtQualityFull = 16;
constexpr int kDefaultQuality = 80;
}  // namespace

class VaapiEncoder : public Encoder {
 public:
  VaapiEncoder(uint32_t w, uint32_t h) : stream_(w, h), width_(w), height_(h) {}
  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override {
    codec::checkInput(image);
    if (image.width != width_ || image.height != height_)
      throw Error(RDK_E_INVALID_ARG, "picture is " + std::to_string(image.width) + "x" +
                                         std::to_string(image.height) + ", stream is " +
                                         std::to_string(width_) + "x" + std::to_string(height_));
    const int quality = codec::scale(params.quality, kDefaultQuality);
    const int qp = codec::mapRange(quality, kQpAtQualityZero, kQpAtQualityFull);
    // CBR drivers only: about 0.1 bit per pixel at 30 fps unless the kernel gives a target.
    const uint32_t kbps = params.bitrate_kbps
                              ? params.bitrate_kbps
                              : std::max<uint32_t>(500, width_ * height_ * 30 / 10 / 1000);
    const bool forceIdr = keyframeWanted_ || (params.flags & RDK_ENCODE_KEYFRAME) != 0;
    EncodedPicture picture = stream_.encode(image, forceIdr, qp, kbps);
    keyframeWanted_ = false;
    if (picture.idr)
      frame_ = 0;
    Encoded out;
    out.coding = "h264";
    out.data = std::move(picture.annexB);
    out.flags = picture.idr ? RDK_ENCODED_KEYFRAME : 0;
    out.optionsJson = "{\"frame\":" + std::to_string(frame_++) +
                      ",\"csc\":\"YUV420P\",\"quality\":" + std::to_string(quality) + "}";
    return out;
  }
  void requestKeyframe() override { keyframeWanted_ = true; }

 private:
  H264Encoder stream_;
  uint32_t width_, height_;
  bool keyframeWanted_ = true;
  int64_t frame_ = 0;
};

class VaapiPlugin : public Plugin {
 public:
  explicit VaapiPlugin(const Host& host) : Plugin(host) {}
  std::string probe() override { return probeJson(); }
  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t w, uint32_t h,
                                         const std::string&) override {
    if (encoding != "h264")
      throw Error(RDK_E_UNSUPPORTED, "vaapi plugin has no encoding " + encoding);
    return std::make_unique<VaapiEncoder>(w, h);
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    throw Error(RDK_E_UNSUPPORTED, "vaapi plugin does not decode " + encoding);
  }
};

}  // namespace rdk::vaapi

RDK_DEFINE_PLUGIN(rdk::vaapi::VaapiPlugin)
