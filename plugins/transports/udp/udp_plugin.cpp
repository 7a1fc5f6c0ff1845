// The udp transport plugin: udp://host:port to bind and to connect.

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include "rdk/plugin.hpp"
#include "rdk_plugin_manifest.h"
#include "socket_channel.hpp"
#include "udp_connection.hpp"
#include "udp_endpoint.hpp"
#include "udp_options.hpp"
#include "udp_settings.hpp"
#include "udp_url.hpp"

namespace rdk::udp {

namespace {

std::function<void(const std::string&)> hostLogger(const Host& host) {
  return [host](const std::string& msg) { host.log(RDK_LOG_WARNING, msg); };
}

UdpOptions options(const std::string& json, const Host& host) {
  try {
    return parseUdpOptions(withDeclaredSettings(json, host));
  } catch (const std::invalid_argument& e) {
    throw Error(RDK_E_INVALID_ARG, e.what());
  }
}

BatchIoConfig batchIo(const UdpOptions& o) {
  return {o.batchIo, o.gso, o.gro};
}

class UdpListener : public Listener {
 public:
  UdpListener(const std::string& url, const UdpOptions& o, const rdk_listener_callbacks& cb,
              const Host& host) {
    auto channel = std::make_unique<SocketChannel>(resolveUrl(url, "udp", true), batchIo(o));
    endpoint_ = std::make_shared<UdpEndpoint>(std::move(channel), o, "udp");
    endpoint_->setLogger(hostLogger(host));
    endpoint_->setRefusalCounter(
        [host](const char* reason, uint64_t n) { host.countRefusal(reason, n); });
    endpoint_->startListening(cb);
    endpoint_->start();
  }
  ~UdpListener() override { endpoint_->stopListening(); }
  std::string address() override { return formatPeer("udp", endpoint_->localAddress()); }

 private:
  std::shared_ptr<UdpEndpoint> endpoint_;  // shared with the accepted connections
};

}  // namespace

class UdpPlugin : public Plugin {
 public:
  explicit UdpPlugin(const Host& host) : Plugin(host) {}

  std::unique_ptr<Listener> listen(const std::string& url, const std::string& json,
                                   const rdk_listener_callbacks& callbacks) override {
    return std::make_unique<UdpListener>(url, options(json, host()), callbacks, host());
  }

  std::unique_ptr<Connection> connect(const std::string& url, const std::string& json,
                                      const rdk_connection_callbacks& callbacks) override {
    const UdpOptions o = options(json, host());
    const PeerAddress server = resolveUrl(url, "udp", false);
    auto channel =
        std::make_unique<SocketChannel>(anyAddress(server.storage.ss_family), batchIo(o));
    auto endpoint = std::make_shared<UdpEndpoint>(std::move(channel), o, "udp");
    endpoint->setLogger(hostLogger(host()));
    endpoint->start();
    auto entry = endpoint->connectTo(server, formatPeer("udp", server));
    if (!entry->session->established()) {
      std::vector<SessionEvent> events;
      entry->session->takeEvents(events);
      std::string reason = "no answer from " + url;
      for (auto& e : events) {
        if (e.kind == SessionEvent::Kind::kClosed)
          reason = "connect " + url + ": " + e.reason;
      }
      throw Error(RDK_E_TIMEOUT, reason);
    }
    entry->callbacks = callbacks;
    entry->callbacksEnabled = true;
    endpoint->wake();
    return std::make_unique<UdpConnection>(endpoint, entry);
  }
};

}  // namespace rdk::udp

RDK_DEFINE_PLUGIN(rdk::udp::UdpPlugin)
