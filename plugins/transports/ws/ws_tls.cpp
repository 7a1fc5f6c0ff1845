#include "ws_tls.h"

#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <openssl/ssl.h>

#include <mutex>

#include "rdk/plugin.hpp"

namespace rdk::ws {
namespace {

constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

void tighten(Poco::Net::Context& context) {
  SSL_CTX* ctx = context.sslContext();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

}  // namespace

void initializeTls() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Poco::Net::Context::Ptr makeServerContext(const WsOptions& options) {
  initializeTls();
  if (options.cert.empty())
    throw Error(RDK_E_INVALID_ARG,
                "wss:// needs a certificate: set transport.tls.cert (and transport.tls.key)");
  Poco::Net::Context::Params params;
  params.certificateFile = options.cert;
  params.privateKeyFile = options.key.empty() ? options.cert : options.key;
  params.caLocation = options.ca;
  params.loadDefaultCAs = false;
  params.cipherList = kTls12Ciphers;
  params.verificationMode = options.verify.value_or(false) ? Poco::Net::Context::VERIFY_STRICT
                                                           : Poco::Net::Context::VERIFY_NONE;
  try {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    tighten(*context);
    return context;
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "cannot set up TLS with certificate '" + options.cert +
                                       "' and key '" + params.privateKeyFile +
                                       "': " + e.displayText());
  }
}

Poco::Net::Context::Ptr makeClientContext(const WsOptions& options) {
  initializeTls();
  const bool verify = options.verify.value_or(true);
  Poco::Net::Context::Params params;
  params.caLocation = options.ca;
  params.loadDefaultCAs = verify && options.ca.empty();
  params.certificateFile = options.cert;
  params.privateKeyFile = options.key.empty() ? options.cert : options.key;
  params.cipherList = kTls12Ciphers;
  params.verificationMode =
      verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
  try {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->enableExtendedCertificateVerification(verify && options.checkHostname);
    tighten(*context);
    return context;
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "cannot set up TLS: " + e.displayText());
  }
}

}  // namespace rdk::ws
