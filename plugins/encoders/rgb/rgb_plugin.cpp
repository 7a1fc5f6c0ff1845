// The rgb encoder plugin: rgb24 (BGRX) and rgb32 (BGRA) with lz4 (default) or zlib.
// Encoder-create options: {"compressor":"lz4"|"zlib"|"none"}; host config "encoder.rgb.compressor".
#include "rdk_plugin_manifest.h"

#include "codec_util.hpp"
#include "rdk/plugin.hpp"
#include "rgb_codec.hpp"

namespace rdk::rgb {

class RgbPlugin : public Plugin {
 public:
  explicit RgbPlugin(const Host& host) : Plugin(host) {}

  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t, uint32_t,
                                         const std::string& options) override {
    checkEncoding(encoding);
    const codec::Options opts(options);
    const std::string name =
        opts.string("compressor").value_or(host().config("encoder.rgb.compressor", "lz4"));
    return std::make_unique<RgbEncoder>(encoding, compressorFromName(name));
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    checkEncoding(encoding);
    return std::make_unique<RgbDecoder>();
  }

 private:
  static void checkEncoding(const std::string& encoding) {
    if (encoding != "rgb24" && encoding != "rgb32")
      throw Error(RDK_E_UNSUPPORTED, "rgb plugin has no encoding " + encoding);
  }
};

}  // namespace rdk::rgb

RDK_DEFINE_PLUGIN(rdk::rgb::RgbPlugin)
