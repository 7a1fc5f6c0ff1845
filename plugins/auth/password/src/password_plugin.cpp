// rdk-auth-password: Xpra's env, password, file and multifile modules (server side) and the
// client-side responder for every digest ("digest:<name>" features).
#include "rdk_plugin_manifest.h"

#include <memory>

#include "auth_options.h"
#include "challenge_authenticator.h"
#include "password_source.h"
#include "rdk/plugin.hpp"
#include "responder.h"

namespace rdk::auth {
namespace {

constexpr size_t kDefaultSaltCacheSize = 1 << 16;

size_t saltCacheSize(const Host& host) {
  const std::optional<std::string> text = host.config("auth.used-salt-cache-size");
  if (!text)
    return kDefaultSaltCacheSize;
  try {
    const unsigned long value = std::stoul(*text);
    return value > 0 ? value : kDefaultSaltCacheSize;
  } catch (const std::exception&) {
    host.log(RDK_LOG_WARNING, "auth.used-salt-cache-size is not a number: " + *text);
    return kDefaultSaltCacheSize;
  }
}

class PasswordAuthPlugin : public Plugin {
 public:
  explicit PasswordAuthPlugin(const Host& host) : Plugin(host), shared_(saltCacheSize(host)) {}

  std::unique_ptr<Authenticator> createAuthenticator(const std::string& module,
                                                     const std::string& optionsJson) override {
    AuthOptions options = AuthOptions::parse(optionsJson);
    std::unique_ptr<PasswordSource> source = makePasswordSource(module, options);
    BackoffPolicy policy;
    policy.baseDelay = std::chrono::milliseconds(options.getInt("failure_delay_ms", 500));
    policy.maxDelay = std::chrono::milliseconds(options.getInt("max_failure_delay_ms", 5000));
    const std::string prompt = options.get("prompt", "password");
    for (const std::string& key : options.unusedKeys()) {
      host().log(RDK_LOG_WARNING, module + " authentication: unused option '" + key + "'");
    }
    return std::make_unique<ChallengeAuthenticator>(module, std::move(source), prompt, policy,
                                                    shared_, host());
  }

  ChallengeResponse respond(const std::string& digest, const std::string& saltDigest,
                            rdk_bytes serverSalt, rdk_bytes password) override {
    return respondToChallenge(digest, saltDigest, ByteView(serverSalt.data, serverSalt.size),
                              ByteView(password.data, password.size));
  }

 private:
  SharedAuthState shared_;
};

}  // namespace
}  // namespace rdk::auth

RDK_DEFINE_PLUGIN(rdk::auth::PasswordAuthPlugin)
