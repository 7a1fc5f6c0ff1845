// rdk-transport-ssl: ssl://host:port, TLS 1.2+ over TCP with OpenSSL (Xpra's ssl socket type).
#include "rdk_plugin_manifest.h"

#include "rdk/plugin.hpp"
#include "socket_util.h"
#include "ssl_connection.h"
#include "ssl_listener.h"
#include "ssl_options.h"
#include "tls_context.h"

namespace rdk::ssl {
namespace {

class SslTransportPlugin : public Plugin {
 public:
  using Plugin::Plugin;

  ConfigLookup configLookup() const {
    return [this](const std::string& key) { return host().config(key); };
  }

  std::unique_ptr<Listener> listen(const std::string& url, const std::string& optionsJson,
                                   const rdk_listener_callbacks& callbacks) override {
    return std::make_unique<SslListener>(url, parseSslOptions(optionsJson, configLookup()),
                                         callbacks, host());
  }

  std::unique_ptr<Connection> connect(const std::string& url, const std::string& optionsJson,
                                      const rdk_connection_callbacks& callbacks) override {
    const SslOptions options = parseSslOptions(optionsJson, configLookup());
    const HostPort hp = parseUrl(url);
    const SocketAddress address = resolve(hp, false);
    SslCtxPtr ctx = makeClientContext(options);
    const auto deadline = Clock::now() + std::chrono::milliseconds(options.handshakeTimeoutMs);
    const int fd = connectWithTimeout(address, std::chrono::milliseconds(options.connectTimeoutMs));
    SslPtr ssl;
    try {
      ssl = makeClientSsl(ctx.get(), fd, options, hp.host);
      ScopedSigpipeBlock noSigpipe;
      runHandshake(ssl.get(), fd, deadline, -1);
    } catch (...) {
      ssl.reset();
      ::close(fd);
      throw;
    }
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length);
    auto connection = std::make_unique<SslConnection>(
        fd, std::move(ssl), formatAddress(reinterpret_cast<const sockaddr*>(&peer), length),
        options);
    connection->start(callbacks);
    return connection;
  }
};

}  // namespace
}  // namespace rdk::ssl

RDK_DEFINE_PLUGIN(rdk::ssl::SslTransportPlugin)
