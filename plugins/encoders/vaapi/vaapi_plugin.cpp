// The VA-API encoder plugin. Its probe (run by the kernel in a child process) inspects the DRM
// render nodes; creating an encoder fails with RDK_E_NO_DEVICE and the probe's reason. The H.264
// bitstream path over VA-API is not written yet, so even with a capable device the probe answers
// ok:false and says so: the kernel never chooses this plugin and negotiation falls back to
// software.
#include "rdk_plugin_manifest.h"

#include "codec_util.hpp"
#include "rdk/plugin.hpp"
#include "vaapi_device.hpp"

namespace rdk::vaapi {

class VaapiPlugin : public Plugin {
 public:
  explicit VaapiPlugin(const Host& host) : Plugin(host) {}
  std::string probe() override { return probeJson(); }
  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t, uint32_t,
                                         const std::string&) override {
    if (encoding != "h264")
      throw Error(RDK_E_UNSUPPORTED, "vaapi plugin has no encoding " + encoding);
    const std::string answer = probeJson();
    const codec::Options parsed(answer);
    throw Error(RDK_E_NO_DEVICE, "vaapi unavailable: " + parsed.string("reason").value_or(answer));
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    throw Error(RDK_E_UNSUPPORTED, "vaapi plugin does not decode " + encoding);
  }
};

}  // namespace rdk::vaapi

RDK_DEFINE_PLUGIN(rdk::vaapi::VaapiPlugin)
