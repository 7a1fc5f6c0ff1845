// The NVENC encoder plugin: h264 and h265 on NVIDIA GPUs. Declared with PROBE subprocess: the
// kernel runs probe() in a child process (a broken driver cannot take the server down) and lists
// the plugin as unavailable, with the probe's reason, when it fails. Decoding is not offered
// (features say "decode":false); clients decode h264/h265 with their own decoders.
#include "rdk_plugin_manifest.h"

#include "codec_util.hpp"
#include "nvenc_session.hpp"
#include "rdk/plugin.hpp"

namespace rdk::nvenc {

class NvencEncoder : public Encoder {
 public:
  NvencEncoder(bool hevc, uint32_t w, uint32_t h) : session_(hevc, w, h), hevc_(hevc) {}
  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override {
    codec::checkInput(image);
    const bool forceKey = keyframeWanted_ || (params.flags & RDK_ENCODE_KEYFRAME) != 0;
    if (forceKey)
      frame_ = 0;
    bool key = false;
    Encoded out;
    out.data = session_.encode(image, forceKey, &key);
    keyframeWanted_ = false;
    out.coding = hevc_ ? "h265" : "h264";
    out.flags = key ? RDK_ENCODED_KEYFRAME : 0;
    out.optionsJson = "{\"frame\":" + std::to_string(frame_++) + ",\"csc\":\"YUV420P\"}";
    return out;
  }
  void requestKeyframe() override { keyframeWanted_ = true; }

 private:
  Session session_;
  bool hevc_;
  bool keyframeWanted_ = true;
  int64_t frame_ = 0;
};

class NvencPlugin : public Plugin {
 public:
  explicit NvencPlugin(const Host& host) : Plugin(host) {}
  std::string probe() override { return probeJson(); }
  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t w, uint32_t h,
                                         const std::string&) override {
    if (encoding != "h264" && encoding != "h265")
      throw Error(RDK_E_UNSUPPORTED, "nvenc plugin has no encoding " + encoding);
    return std::make_unique<NvencEncoder>(encoding == "h265", w, h);
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    throw Error(RDK_E_UNSUPPORTED, "nvenc plugin does not decode " + encoding);
  }
};

}  // namespace rdk::nvenc

RDK_DEFINE_PLUGIN(rdk::nvenc::NvencPlugin)
