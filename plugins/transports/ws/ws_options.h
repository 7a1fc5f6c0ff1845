// Settings of the WebSocket transport, from the kernel's options_json:
//   TLS (wss): cert, key, ca, verify, server_name, check_hostname (as the ssl transport)
//   web files: www_dir (empty: rdkernel's own web client), www_link_dirs (directories that
//              symbolic links in www_dir may lead into, e.g. Debian's /usr/share/javascript)
//   limits:    max_queue_bytes, max_frame_bytes, max_connections, http_threads,
//              connect_timeout_ms, request_timeout_ms, frame_timeout_ms, send_timeout_ms,
//              close_flush_ms
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rdk::ws {

struct WsOptions {
  // TLS, for wss:// (the same keys as the ssl transport gets from transport.tls.*).
  std::string cert;
  std::string key;
  std::string ca;
  std::optional<bool> verify;  // unset: true for clients, false (no client certs) for servers
  std::string serverName;
  bool checkHostname = true;

  // Web files served over HTTP GET on the same port.
  std::string wwwDir;                    // empty: the web client installed beside the plugin
  std::vector<std::string> wwwLinkDirs;  // symlink targets allowed outside www_dir
  bool wwwDirExplicit = false;           // www_dir was given: a missing directory is an error

  size_t maxQueueBytes = 32u << 20;  // send() returns AGAIN beyond this
  size_t maxFrameBytes = 4u << 20;   // a longer incoming frame closes with 1009
  size_t maxConnections = 1024;      // open WebSocket connections per listener
  int httpThreads = 32;              // threads answering HTTP requests and handshakes
  int connectTimeoutMs = 10000;
  int requestTimeoutMs = 10000;  // an HTTP request (or TLS handshake) must arrive within this
  int frameTimeoutMs = 30000;    // a frame that started must complete within this
  int sendTimeoutMs = 30000;     // a peer that reads nothing for this long is dropped
  int closeFlushMs = 2000;
};

/// Unknown keys are ignored (the kernel may pass one config to several transports); a malformed
/// document or a bad value throws rdk::Error(RDK_E_INVALID_ARG).
WsOptions parseWsOptions(const std::string& json);

/// Reads one configuration key through the host (config_get); nullopt when unset.
using ConfigLookup = std::function<std::optional<std::string>(const std::string& key)>;

/// The same for a wss:// URL (|secure|), where a TLS option the kernel did not pass comes from
/// the transport.tls.* settings the ssl plugin declares, as for ssl:// (server-name,
/// check-hostname, connect-timeout-ms, handshake-timeout-ms -> request_timeout_ms,
/// max-queue-bytes) when they are set. Plain ws:// reads none of them.
WsOptions parseWsOptions(const std::string& json, bool secure, const ConfigLookup& config);

}  // namespace rdk::ws
