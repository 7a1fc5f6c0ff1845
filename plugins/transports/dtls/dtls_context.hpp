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

/// The next handshake retransmission timeout after |previousUs| (0: the first flight), for
/// DTLS_set_timer_cb. OpenSSL's own starts at 1 s: at 10% loss half of all handshakes lose a
/// datagram and wait that long, at 30% several seconds. Ours starts at 250 ms (one long
/// intercontinental round trip) and doubles up to 2 s; a retransmission too early costs one
/// duplicate flight, which the peer ignores.
unsigned int nextHandshakeTimeoutUs(unsigned int previousUs);

/// The host of "dtls://host:port" ("[v6]" without brackets); empty when there is none.
std::string urlHost(const std::string& url);

/// The last OpenSSL error as text (and clears the queue).
std::string opensslError();

}  // namespace rdk::dtls
