#include "dtls_context.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::dtls {

namespace {

// AEAD only (issue 7): GCM and ChaCha20-Poly1305 with forward secrecy.
constexpr const char* kCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

unsigned char cookieSecret[32];
bool cookieSecretReady = false;

int peerKey(SSL* ssl, unsigned char* out, unsigned int* len) {
  // The channel stores the peer's address bytes as the SSL's app data (see DtlsChannel).
  auto* key = static_cast<const std::string*>(SSL_get_app_data(ssl));
  if (!key)
    return 0;
  HMAC(EVP_sha256(), cookieSecret, sizeof(cookieSecret),
       reinterpret_cast<const unsigned char*>(key->data()), key->size(), out, len);
  return 1;
}

int generateCookie(SSL* ssl, unsigned char* cookie, unsigned int* len) {
  return peerKey(ssl, cookie, len);
}

int verifyCookie(SSL* ssl, const unsigned char* cookie, unsigned int len) {
  unsigned char expected[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!peerKey(ssl, expected, &n))
    return 0;
  return n == len && CRYPTO_memcmp(expected, cookie, n) == 0 ? 1 : 0;
}

}  // namespace

std::string opensslError() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty())
      out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

DtlsOptions parseDtlsOptions(const std::string& json) {
  DtlsOptions o;
  if (json.empty())
    return o;
  try {
    const rdk::json::Value obj = rdk::json::Value::parse(json);
    if (!obj.isObject())
      throw Error(RDK_E_INVALID_ARG, "transport options are not a JSON object");
    o.cert = obj.getString("cert");
    o.key = obj.getString("key");
    o.ca = obj.getString("ca");
    o.verify = obj.has("verify") && obj.at("verify").asFlag();
    o.serverName = obj.getString("server_name");
    if (obj.has("check_hostname"))
      o.checkHostname = obj.at("check_hostname").asFlag();
  } catch (const rdk::json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("bad dtls options: ") + e.what());
  } catch (const rdk::json::TypeError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("bad dtls options: ") + e.what());
  }
  return o;
}

unsigned int nextHandshakeTimeoutUs(unsigned int previousUs) {
  constexpr unsigned int kFirstUs = 250000, kLongestUs = 2000000;
  if (previousUs == 0)
    return kFirstUs;
  return previousUs >= kLongestUs / 2 ? kLongestUs : previousUs * 2;
}

std::string urlHost(const std::string& url) {
  const auto scheme = url.find("://");
  std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    return close == std::string::npos ? "" : rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.rfind(':'));
}

SSL_CTX* makeContext(const DtlsOptions& o, bool server, const std::string& host) {
  if (!cookieSecretReady) {
    RAND_bytes(cookieSecret, sizeof(cookieSecret));
    cookieSecretReady = true;
  }
  SSL_CTX* ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
  if (!ctx)
    throw Error(RDK_E_INTERNAL, "SSL_CTX_new: " + opensslError());
  SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
  auto fail = [&](const std::string& what) {
    const std::string msg = what + ": " + opensslError();
    SSL_CTX_free(ctx);
    throw Error(RDK_E_INVALID_ARG, msg);
  };
  if (SSL_CTX_set_cipher_list(ctx, kCiphers) != 1)
    fail("cipher list");
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_RENEGOTIATION);
  if (server) {
    if (o.cert.empty() || o.key.empty()) {
      SSL_CTX_free(ctx);
      throw Error(RDK_E_INVALID_ARG, "dtls listen needs options cert and key (PEM files)");
    }
    SSL_CTX_set_cookie_generate_cb(ctx, generateCookie);
    SSL_CTX_set_cookie_verify_cb(ctx, verifyCookie);
  }
  if (!o.cert.empty() && SSL_CTX_use_certificate_chain_file(ctx, o.cert.c_str()) != 1)
    fail("cert " + o.cert);
  if (!o.key.empty() && SSL_CTX_use_PrivateKey_file(ctx, o.key.c_str(), SSL_FILETYPE_PEM) != 1)
    fail("key " + o.key);
  if (!o.key.empty() && SSL_CTX_check_private_key(ctx) != 1)
    fail("key does not match cert");
  if (!o.ca.empty() && SSL_CTX_load_verify_locations(ctx, o.ca.c_str(), nullptr) != 1)
    fail("ca " + o.ca);
  if (o.verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                       nullptr);
  }
  if (!server && o.verify && o.checkHostname.value_or(true)) {
    // A chain that verifies proves nothing about whom we reached without the name: any
    // certificate the CA signed (for another host) would do.
    const std::string name = o.serverName.empty() ? host : o.serverName;
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
    in6_addr ip6;
    in_addr ip4;
    const bool ip =
        inet_pton(AF_INET, name.c_str(), &ip4) == 1 || inet_pton(AF_INET6, name.c_str(), &ip6) == 1;
    const int ok = name.empty() ? 0
                   : ip         ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                                : X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    if (ok != 1) {
      SSL_CTX_free(ctx);
      throw Error(RDK_E_INVALID_ARG, "bad dtls server name '" + name + "'");
    }
  }
  return ctx;
}

}  // namespace rdk::dtls
