#include "tls_context.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "rdk/plugin.hpp"

namespace rdk::ssl {
namespace {

// TLS 1.2 suites: forward secret and AEAD only. TLS 1.3 suites are all AEAD already.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

SslCtxPtr newContext(const SSL_METHOD* method) {
  SslCtxPtr ctx(SSL_CTX_new(method));
  if (!ctx)
    throw Error(RDK_E_INTERNAL, takeOpenSslErrors("SSL_CTX_new failed"));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx.get(), kTls12Ciphers) != 1) {
    throw Error(RDK_E_INTERNAL, takeOpenSslErrors("no usable TLS 1.2 cipher suite"));
  }
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return ctx;
}

void loadCertificate(SSL_CTX* ctx, const SslOptions& options) {
  if (SSL_CTX_use_certificate_chain_file(ctx, options.cert.c_str()) != 1) {
    throw Error(RDK_E_INVALID_ARG, "cannot load certificate '" + options.cert +
                                       "': " + takeOpenSslErrors("unreadable"));
  }
  const std::string key = options.key.empty() ? options.cert : options.key;
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    const bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
    const std::string detail = takeOpenSslErrors("unreadable");
    if (!mismatch)
      throw Error(RDK_E_INVALID_ARG, "cannot load private key '" + key + "': " + detail);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    throw Error(RDK_E_INVALID_ARG,
                "private key '" + key + "' does not match certificate '" + options.cert + "'");
  }
}

void loadTrust(SSL_CTX* ctx, const SslOptions& options) {
  const int ok = options.ca.empty()
                     ? SSL_CTX_set_default_verify_paths(ctx)
                     : SSL_CTX_load_verify_locations(ctx, options.ca.c_str(), nullptr);
  if (ok != 1) {
    throw Error(RDK_E_INVALID_ARG, "cannot load CA certificates '" + options.ca +
                                       "': " + takeOpenSslErrors("unreadable"));
  }
}

std::string verifyFailure(SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK)
    return {};
  return std::string("TLS certificate verification failed: ") +
         X509_verify_cert_error_string(result);
}

}  // namespace

std::string takeOpenSslErrors(const std::string& fallback) {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    const char* reason = ERR_reason_error_string(code);
    text += (text.empty() ? "" : "; ") + std::string(reason ? reason : buf);
  }
  return text.empty() ? fallback : text;
}

SslCtxPtr makeServerContext(const SslOptions& options) {
  if (options.cert.empty()) {
    throw Error(RDK_E_INVALID_ARG, "an ssl listener needs a certificate (option cert=)");
  }
  SslCtxPtr ctx = newContext(TLS_server_method());
  loadCertificate(ctx.get(), options);
  if (options.verify.value_or(false)) {
    loadTrust(ctx.get(), options);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return ctx;
}

SslCtxPtr makeClientContext(const SslOptions& options) {
  SslCtxPtr ctx = newContext(TLS_client_method());
  if (!options.cert.empty())
    loadCertificate(ctx.get(), options);
  if (options.verify.value_or(true)) {
    loadTrust(ctx.get(), options);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  return ctx;
}

SslPtr makeClientSsl(SSL_CTX* ctx, int fd, const SslOptions& options, const std::string& host) {
  SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    throw Error(RDK_E_INTERNAL, takeOpenSslErrors("SSL_new failed"));
  }
  SSL_set_connect_state(ssl.get());
  const std::string name = options.serverName.empty() ? host : options.serverName;
  if (!isIpAddress(name))
    SSL_set_tlsext_host_name(ssl.get(), name.c_str());
  if (options.verify.value_or(true) && options.checkHostname) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    const int ok = isIpAddress(name) ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                                     : X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    if (ok != 1)
      throw Error(RDK_E_INVALID_ARG, "bad server name '" + name + "'");
  }
  return ssl;
}

void runHandshake(SSL* ssl, int fd, Clock::time_point deadline, int stopFd) {
  ERR_clear_error();
  for (;;) {
    const int rc = SSL_do_handshake(ssl);
    if (rc == 1)
      return;
    const int err = SSL_get_error(ssl, rc);
    short events = 0;
    if (err == SSL_ERROR_WANT_READ) {
      events = POLLIN;
    } else if (err == SSL_ERROR_WANT_WRITE) {
      events = POLLOUT;
    } else {
      const std::string certificate = verifyFailure(ssl);
      if (!certificate.empty())
        throw Error(RDK_E_AUTH, certificate);
      if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        throw Error(RDK_E_CLOSED,
                    std::string("TLS handshake failed: connection closed by peer") +
                        (errno ? std::string(" (") + std::strerror(errno) + ")" : ""));
      }
      const std::string detail = takeOpenSslErrors("unknown error");
      // Alerts from the peer about our certificate are certificate refusals too.
      const bool certAlert = detail.find("certificate") != std::string::npos ||
                             detail.find("unknown ca") != std::string::npos;
      throw Error(certAlert ? RDK_E_AUTH : RDK_E_IO, "TLS handshake failed: " + detail);
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0)
      throw Error(RDK_E_TIMEOUT, "TLS handshake timed out");
    pollfd fds[2] = {{fd, events, 0}, {stopFd, POLLIN, 0}};
    const int ready = poll(fds, stopFd >= 0 ? 2 : 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR)
      throw Error(RDK_E_IO, std::string("poll: ") + strerror(errno));
    if (stopFd >= 0 && (fds[1].revents & POLLIN))
      throw Error(RDK_E_CLOSED, "listener stopped");
  }
}

}  // namespace rdk::ssl
