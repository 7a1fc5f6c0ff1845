// The avcodec decoder plugin: h264 and h265 for the client, from stock Xpra servers (x264, nvenc)
// and from our own hardware encoder plugins. It encodes nothing ("encode":false): the kernel never
// offers it to the server side, and the client advertises h264/h265 only because it is here.
#include "rdk_plugin_manifest.h"

#include "avcodec_decoder.hpp"
#include "rdk/plugin.hpp"

namespace rdk::avcodec {

class AvcodecPlugin : public Plugin {
 public:
  explicit AvcodecPlugin(const Host& host) : Plugin(host) {}
  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t, uint32_t,
                                         const std::string&) override {
    throw Error(RDK_E_UNSUPPORTED,
                "the avcodec plugin only decodes (asked to encode " + encoding + ")");
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t w,
                                         uint32_t h) override {
    if (encoding != "h264" && encoding != "h265")
      throw Error(RDK_E_UNSUPPORTED, "avcodec plugin does not decode " + encoding);
    return std::make_unique<AvDecoder>(encoding == "h265", w, h);
  }
};

}  // namespace rdk::avcodec

RDK_DEFINE_PLUGIN(rdk::avcodec::AvcodecPlugin)
