// `rdkernel proxy`: one listening port for many users. Per connection (its own thread): read the
// client's hello, challenge it with the multifile auth module over the users file (the auth
// plugin's own logic, as a server session uses it), find or start the user's session through the
// SessionRegistry, log in to that session with its private token (the proxy answers the
// session's challenge, as a client would), and from then on splice bytes both ways: the stream
// is never decoded or re-encoded, only the hello is passed on with the challenge fields changed.
// udp:// binds route our UDP transport's datagrams by connection id instead (udp_router.h): the
// proxy reads the hello for the user and starts the session, the session checks the password.
// ssl:// and wss:// terminate TLS at the proxy (transport.tls.cert/key) and then do the same; ws://
// and wss:// serve the web client's files, answer the WebSocket upgrade, log in as above through
// the frames, then connect to the session's own ws bind and pass the frames through unchanged.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/proxy/session_registry.h"
#include "rdk/proxy/udp_router.h"
#include "rdk/session/auth_throttle.h"

namespace rdk::plugin {
class Registry;
class LoadedPlugin;
}  // namespace rdk::plugin

struct ssl_ctx_st;

namespace rdk::proxy {

class UdpProxy;
namespace io {
class WsFront;
}

struct ProxyOptions {
  /// tcp://, ssl://, ws://, wss://, udp:// or dtls://HOST:PORT (port 0: any)
  std::vector<std::string> binds;
  std::string usersPath;
  int helloTimeoutMs = 10000;
  int authTimeoutMs = 60000;
  int sessionHandshakeTimeoutMs = 30000;
  size_t maxHelloBytes = 256u << 10;
  /// Connections at once (a thread each); beyond, new ones are closed at accept. Unauthenticated
  /// ones end at the hello and auth timeouts, so idle sockets cannot hold the proxy for long.
  size_t maxConnections = 1024;
  session::AuthThrottleSettings throttle;
  std::function<void(const std::string&)> log;  // one line per event; stderr when empty
  UdpRouterLimits udp;
  std::string tlsCert, tlsKey;  // PEM files for ssl://, wss:// and dtls:// binds
  /// The web files ws:// and wss:// binds serve (empty or missing: none, WebSockets only).
  std::string wwwDir;
  std::vector<std::string> wwwLinkDirs;
};

struct ProxyStats {
  std::atomic<uint64_t> connections{0}, authFailures{0}, forwarded{0}, refused{0};
  std::atomic<uint64_t> bytesToSession{0}, bytesToClient{0};
};

class ProxyServer {
 public:
  ProxyServer(ProxyOptions options, SessionRegistry& sessions, plugin::Registry& registry);
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  /// Binds every URL; false with |error| (bad URL, port taken, no multifile auth plugin).
  bool start(std::string* error);
  std::vector<std::string> boundUrls() const { return bound_; }
  /// Accepts until |stop|, reaping sessions every second; closes every connection on return.
  void run(const std::atomic<bool>& stop);
  const ProxyStats& stats() const { return stats_; }

 private:
  struct Connection;
  void handle(Connection& connection);
  bool authenticate(Connection& c, std::string* user);
  bool joinSession(Connection& c, const std::string& user);
  bool joinUdp(const UdpHello& hello, std::string* user, udp::PeerAddress* session,
               std::string* error);
  void log(const std::string& line) const;

  ProxyOptions options_;
  SessionRegistry& sessions_;
  plugin::Registry& registry_;
  plugin::LoadedPlugin* authPlugin_ = nullptr;
  session::AuthThrottle throttle_;
  ProxyStats stats_;
  std::vector<int> listeners_;
  std::vector<std::string> schemes_;  // per listener: tcp, ssl, ws, wss
  std::shared_ptr<ssl_ctx_st> tls_;   // ssl:// and wss:// binds
  std::unique_ptr<io::WsFront> wsFront_;
  std::vector<std::string> bound_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::unique_ptr<UdpProxy> udp_;
};

}  // namespace rdk::proxy
