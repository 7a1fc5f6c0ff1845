// Settings of the TLS transport, from the kernel's options_json:
//   {"cert":..,"key":..,"ca":..,"verify":bool,"server_name":..,"check_hostname":bool, ...}
// Server: cert (PEM; may also hold the key), key (default: cert), ca + verify=true to require
// client certificates. Client: verify (default true) against ca (default: the system store),
// hostname checked against server_name (default: the URL's host); cert/key for a client cert.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace rdk::ssl {

struct SslOptions {
  std::string cert;
  std::string key;
  std::string ca;
  std::optional<bool> verify;  // unset: true for clients, false (no client certs) for servers
  std::string serverName;
  bool checkHostname = true;
  size_t maxQueueBytes = 32u << 20;  // send() returns AGAIN beyond this
  int connectTimeoutMs = 10000;
  int handshakeTimeoutMs = 10000;
  int closeFlushMs = 2000;
  size_t maxPendingHandshakes = 64;  // listener: more simultaneous handshakes are refused
};

/// Unknown keys are ignored (the kernel may pass one config to several transports); a malformed
/// document or a bad value throws rdk::Error(RDK_E_INVALID_ARG).
SslOptions parseSslOptions(const std::string& json);

/// Reads one configuration key through the host (config_get); nullopt when unset.
using ConfigLookup = std::function<std::optional<std::string>(const std::string& key)>;

/// The same, where an option the kernel did not pass comes from the settings this plugin declares
/// (settings.json: transport.tls.server-name -> server_name, ...) when they are set (non-empty).
SslOptions parseSslOptions(const std::string& json, const ConfigLookup& config);

}  // namespace rdk::ssl
