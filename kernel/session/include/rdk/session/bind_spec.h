// A server bind (or a client's target) resolved from configuration: the URL's scheme selects the
// transport plugin, server.auth.<scheme> (else server.auth) the auth module (Xpra's syntax, parsed
// by rdk_authcfg), and transport.* keys become the plugin's options JSON.
#pragma once

#include <string>

#include "rdk/authcfg/auth_spec.h"

namespace rdk::config {
class Config;
}

namespace rdk::session {

struct BindSpec {
  std::string url;
  std::string scheme;
  std::string authModule;
  std::string authOptionsJson;
  std::string transportOptionsJson;
  static BindSpec fromConfig(const std::string& url, const config::Config& config);
};

/// "udp" for "udp://127.0.0.1:1234/"; empty when |url| has no scheme.
std::string urlScheme(const std::string& url);

enum class Side { Server, Client };

/// The options JSON a transport plugin gets for |scheme| from the transport.* keys.
/// transport.tls.verify is the client's check of the server certificate; a server asks for
/// client certificates only when transport.tls.ca is set.
std::string transportOptionsJson(const std::string& scheme, const config::Config& config,
                                 Side side);

/// JSON string literal for |text| (shared with the auth option parser).
using authcfg::jsonQuote;

}  // namespace rdk::session
