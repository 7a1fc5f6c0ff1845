// The png encoder plugin. Encoder-create options: {"exact_downgrade":false} keeps "png" as RGB
// even when a palette or grey picture would be exact and smaller.
#include "rdk_plugin_manifest.h"

#include "codec_util.hpp"
#include "png_codec.hpp"
#include "rdk/plugin.hpp"

namespace rdk::png {

class PngPlugin : public Plugin {
 public:
  explicit PngPlugin(const Host& host) : Plugin(host) {}

  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t, uint32_t,
                                         const std::string& options) override {
    checkEncoding(encoding);
    const codec::Options opts(options);
    return std::make_unique<PngEncoder>(encoding, opts.integer("exact_downgrade").value_or(1) != 0);
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    checkEncoding(encoding);
    return std::make_unique<PngDecoder>();
  }

 private:
  static void checkEncoding(const std::string& e) {
    if (e != "png" && e != "png/P" && e != "png/L")
      throw Error(RDK_E_UNSUPPORTED, "png plugin has no encoding " + e);
  }
};

}  // namespace rdk::png

RDK_DEFINE_PLUGIN(rdk::png::PngPlugin)
