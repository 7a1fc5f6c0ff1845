// rdk-x11: shadow capture and input injection on an X display, or seamless windows on a virtual
// display it manages (server); native X11 windows for remote windows (client).
// The generated manifest comes first: it sets what rdk/plugin.hpp builds into the descriptor.
#include "rdk_plugin_manifest.h"

#include <memory>

#include "rdk/plugin.hpp"
#include "seamless_platform.h"
#include "shadow_platform.h"
#include "x11_display.h"
#include "x11_session_platform.h"

namespace rdk::x11 {

class X11Plugin : public rdk::Plugin {
 public:
  using rdk::Plugin::Plugin;

  std::unique_ptr<rdk::Platform> openPlatform(const std::string& name, const std::string& options,
                                              const rdk_platform_callbacks& callbacks) override {
    // The options the kernel did not pass come from the settings declared in settings.json.
    const std::string json = withDeclaredSettings(options, configLookup());
    if (name == "seamless") {
      auto seamless =
          std::make_unique<SeamlessPlatform>(SeamlessOptions::parse(json), callbacks, host());
      SeamlessPlatform* raw = seamless.get();
      return std::make_unique<X11SessionPlatform>(std::move(seamless),
                                                  [raw] { return raw->displayName(); });
    }
    if (name != "x11")
      throw Error(RDK_E_UNSUPPORTED, "rdk-x11 has no platform " + name);
    X11Options parsed = X11Options::parse(json);
    return std::make_unique<X11SessionPlatform>(
        std::make_unique<ShadowPlatform>(parsed, callbacks, host()),
        [display = parsed.display] { return display; });
  }

  std::unique_ptr<rdk::Platform> openDisplay(const std::string& options,
                                             InputCallback inputCallback,
                                             void* inputHost) override {
    X11Options parsed = X11Options::parse(withDeclaredSettings(options, configLookup()));
    return std::make_unique<X11SessionPlatform>(
        std::make_unique<X11Display>(parsed, inputCallback, inputHost),
        [display = parsed.display] { return display; });
  }

 private:
  ConfigLookup configLookup() const {
    return [this](const std::string& key) { return host().config(key); };
  }
};

}  // namespace rdk::x11

RDK_DEFINE_PLUGIN(rdk::x11::X11Plugin)
