// OpenSSL contexts and the handshake for the TLS transport: TLS 1.2 or newer, AEAD suites only,
// certificate checks that fail with a reason a user can act on.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "socket_util.h"
#include "ssl_options.h"

namespace rdk::ssl {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

/// Needs options.cert; loads key (default: cert) and, with verify, the client CA. Throws
/// rdk::Error(RDK_E_INVALID_ARG) naming the file that failed.
SslCtxPtr makeServerContext(const SslOptions& options);

/// Verifies the server unless verify=false, against ca or the system store.
SslCtxPtr makeClientContext(const SslOptions& options);

/// A client SSL on |fd| with SNI and the hostname (or IP) check for |host|.
SslPtr makeClientSsl(SSL_CTX* ctx, int fd, const SslOptions& options, const std::string& host);

/// Runs the handshake on the non-blocking |fd| until done, |deadline|, or |stopFd| readable (-1:
/// none). Throws rdk::Error: RDK_E_AUTH when a certificate is refused (the reason names the
/// problem, e.g. "certificate has expired"), RDK_E_TIMEOUT, RDK_E_CLOSED or RDK_E_IO otherwise.
void runHandshake(SSL* ssl, int fd, Clock::time_point deadline, int stopFd);

/// The OpenSSL error queue as text (and empties it); |fallback| when it is empty.
std::string takeOpenSslErrors(const std::string& fallback);

}  // namespace rdk::ssl
