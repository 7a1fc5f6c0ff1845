// rdk-synthetic: the platform plugin that needs no display.
// The generated manifest comes first: it sets what rdk/plugin.hpp builds into the descriptor.
#include "rdk_plugin_manifest.h"

#include <memory>

#include "rdk/plugin.hpp"
#include "synthetic_platform.h"

namespace rdk::synthetic {

class SyntheticPlugin : public rdk::Plugin {
 public:
  using rdk::Plugin::Plugin;

  std::unique_ptr<rdk::Platform> openPlatform(const std::string& name, const std::string& options,
                                              const rdk_platform_callbacks& callbacks) override {
    if (name != "synthetic")
      throw Error(RDK_E_UNSUPPORTED, "rdk-synthetic has no platform " + name);
    return std::make_unique<SyntheticPlatform>(Options::parse(options), callbacks);
  }
};

}  // namespace rdk::synthetic

RDK_DEFINE_PLUGIN(rdk::synthetic::SyntheticPlugin)
