// The vpx encoder plugin: vp8 and vp9 (see vpx_codec.hpp for the settings).
#include "rdk_plugin_manifest.h"

#include "codec_util.hpp"
#include "rdk/plugin.hpp"
#include "vpx_codec.hpp"

namespace rdk::vpx {

class VpxPlugin : public Plugin {
 public:
  explicit VpxPlugin(const Host& host) : Plugin(host) {}

  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t width,
                                         uint32_t height, const std::string& options) override {
    EncoderSettings s;
    s.vp9 = isVp9(encoding);
    s.width = width;
    s.height = height;
    const codec::Options opts(options);
    auto pick = [&](const char* option, const char* configKey, int fallback) {
      if (auto v = opts.integer(option))
        return static_cast<int>(*v);
      return codec::configInt(host(), configKey).value_or(fallback);
    };
    s.keyframeInterval = std::max(0, pick("keyframe_interval", "encoder.keyframe-interval", 0));
    s.threads = std::clamp(pick("threads", "encoder.vpx.threads", 0), 0, 16);
    s.errorResilient = pick("error_resilient", "encoder.vpx.error-resilient", 1) != 0;
    s.bitrateKbps =
        static_cast<uint32_t>(std::max(0, pick("bitrate_kbps", "encoder.vpx.bitrate-kbps", 0)));
    return std::make_unique<VpxEncoder>(s);
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t width,
                                         uint32_t height) override {
    return std::make_unique<VpxDecoder>(isVp9(encoding), width, height);
  }

 private:
  static bool isVp9(const std::string& e) {
    if (e == "vp8")
      return false;
    if (e == "vp9")
      return true;
    throw Error(RDK_E_UNSUPPORTED, "vpx plugin has no encoding " + e);
  }
};

}  // namespace rdk::vpx

RDK_DEFINE_PLUGIN(rdk::vpx::VpxPlugin)
