// rdk-auth-none: Xpra's "none" module. No challenge; every client passes. It exists so that "no
// authentication" is an explicit, visible choice in a bind's configuration.
#include "rdk_plugin_manifest.h"

#include "rdk/plugin.hpp"

namespace rdk::auth {
namespace {

class NoneAuthenticator : public Authenticator {
 public:
  bool requiresChallenge() override { return false; }
  Challenge makeChallenge(const std::string&, const std::string&, const std::string&,
                          bool) override {
    // The kernel sends Xpra's fake challenge itself when a client insists on one.
    throw Error(RDK_E_UNSUPPORTED, "the none module sends no challenge");
  }
  void authenticate(const std::string&, rdk_bytes, rdk_bytes) override {}
};

class NoneAuthPlugin : public Plugin {
 public:
  using Plugin::Plugin;
  std::unique_ptr<Authenticator> createAuthenticator(const std::string& module,
                                                     const std::string&) override {
    if (module != "none")
      throw Error(RDK_E_UNSUPPORTED, "no auth module '" + module + "'");
    return std::make_unique<NoneAuthenticator>();
  }
};

}  // namespace
}  // namespace rdk::auth

RDK_DEFINE_PLUGIN(rdk::auth::NoneAuthPlugin)
