// OpenSSL DTLS 1.2 contexts: certificate and key from options, AEAD suites only, stateless
// cookies (HMAC of the peer address under a per-process secret) for DTLSv1_listen.
#pragma once

#include <openssl/ssl.h>

#include <optional>
#include <string>

namespace rdk::dtls {

struct DtlsOptions {
  std::string cert, key, ca;
  bool verify = false;  // client: verify the server against ca; server: require client certs
  // Client, with verify: the name (or IP) the certificate must be for (empty: the URL's host),
  // as the ssl and wss clients check it.
  std::string serverName;
  std::optional<bool> checkHostname;  // unset: true
};

/// Reads "cert", "key", "ca", "verify", "server_name", "check_hostname" from the options JSON;
/// throws rdk::Error(INVALID_ARG).
DtlsOptions parseDtlsOptions(const std::string& json);

/// A new context; throws rdk::Error with OpenSSL's reason on failure. Caller frees it. A client
/// context with verify and checkHostname accepts only a certificate for |host| (its one SSL
/// inherits the check); |host| is the URL's, replaced by serverName when that is set.
SSL_CTX* makeContext(const DtlsOptions& options, bool server, const std::string& host = "");

/// The host of "dtls://host:port" ("[v6]" without brackets); empty when there is none.
std::string urlHost(const std::string& url);

/// The last OpenSSL error as text (and clears the queue).
std::string opensslError();

}  // namespace rdk::dtls
