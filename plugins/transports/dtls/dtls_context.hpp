// OpenSSL DTLS 1.2 contexts: certificate and key from options, AEAD suites only, stateless
// cookies (HMAC of the peer address under a per-process secret) for DTLSv1_listen.
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace rdk::dtls {

struct DtlsOptions {
  std::string cert, key, ca;
  bool verify = false;  // client: verify the server against ca; server: require client certs
};

/// Reads "cert", "key", "ca", "verify" from the options JSON; throws rdk::Error(INVALID_ARG).
DtlsOptions parseDtlsOptions(const std::string& json);

/// A new context; throws rdk::Error with OpenSSL's reason on failure. Caller frees it.
SSL_CTX* makeContext(const DtlsOptions& options, bool server);

/// The last OpenSSL error as text (and clears the queue).
std::string opensslError();

}  // namespace rdk::dtls
