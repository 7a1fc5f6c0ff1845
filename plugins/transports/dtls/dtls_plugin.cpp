// The dtls transport plugin: dtls://host:port. The udp transport's reliability core and endpoint
// over a DTLS 1.2 DatagramChannel.
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include "dtls_channel.hpp"
#include "dtls_context.hpp"
#include "impaired_channel.hpp"
#include "rdk/plugin.hpp"
#include "rdk_plugin_manifest.h"
#include "socket_channel.hpp"
#include "udp_connection.hpp"
#include "udp_endpoint.hpp"
#include "udp_options.hpp"
#include "udp_settings.hpp"
#include "udp_url.hpp"

namespace rdk::dtls {

namespace {

std::function<void(const std::string&)> hostLogger(const Host& host) {
  return [host](const std::string& msg) { host.log(RDK_LOG_WARNING, msg); };
}

/// The udp transport's options, where the kernel did not pass them from the transport.udp.*
/// settings the udp plugin declares (the same reliability core runs under DTLS).
udp::UdpOptions sessionOptions(const std::string& json, const Host& host) {
  udp::UdpOptions o;
  try {
    o = udp::parseUdpOptions(udp::withDeclaredSettings(json, host));
  } catch (const std::invalid_argument& e) {
    throw Error(RDK_E_INVALID_ARG, e.what());
  }
  // Session datagrams become DTLS records 37 bytes larger.
  o.mtu = std::min<size_t>(o.mtu, 1200);
  o.maxMtu = std::min<size_t>(o.maxMtu, 1400);
  return o;
}

/// The client's TLS options; transport.tls.server-name and .check-hostname (declared by the ssl
/// plugin) apply as they do to ssl:// and wss:// where the kernel's options do not carry them.
DtlsOptions clientTlsOptions(const std::string& json, const Host& host) {
  DtlsOptions o = parseDtlsOptions(json);
  if (o.serverName.empty())
    o.serverName = host.config("transport.tls.server-name").value_or("");
  const std::optional<std::string> check = host.config("transport.tls.check-hostname");
  if (!o.checkHostname && check && !check->empty())
    o.checkHostname = *check == "true" || *check == "yes" || *check == "on" || *check == "1";
  return o;
}

/// Socket, then impairment (below DTLS, so handshakes meet the loss too), then DTLS.
std::unique_ptr<udp::DatagramChannel> lowerChannel(const udp::PeerAddress& local,
                                                   udp::UdpOptions& o) {
  std::unique_ptr<udp::DatagramChannel> ch = std::make_unique<udp::SocketChannel>(local);
  if (o.sendImpairment.active() || o.receiveImpairment.active()) {
    auto impaired = std::make_unique<udp::ImpairedChannel>(
        std::move(ch), o.sendImpairment, o.receiveImpairment,
        o.impairmentSeed ? o.impairmentSeed : udp::randomU64());
    impaired->setClock(&udp::monotonicUs);
    ch = std::move(impaired);
  }
  o.sendImpairment = {};
  o.receiveImpairment = {};
  return ch;
}

class DtlsListener : public Listener {
 public:
  DtlsListener(const std::string& url, const std::string& json, const rdk_listener_callbacks& cb,
               const Host& host) {
    udp::UdpOptions o = sessionOptions(json, host);
    SSL_CTX* ctx = makeContext(parseDtlsOptions(json), true);
    auto lower = lowerChannel(udp::resolveUrl(url, "dtls", true), o);
    auto channel = std::make_unique<DtlsChannel>(std::move(lower), ctx, true);
    channel->setRefusalCounter(
        [host](const char* reason, uint64_t n) { host.countRefusal(reason, n); });
    endpoint_ = std::make_shared<udp::UdpEndpoint>(std::move(channel), o, "dtls");
    endpoint_->setLogger(hostLogger(host));
    endpoint_->setRefusalCounter(
        [host](const char* reason, uint64_t n) { host.countRefusal(reason, n); });
    endpoint_->startListening(cb);
    endpoint_->start();
  }
  ~DtlsListener() override { endpoint_->stopListening(); }
  std::string address() override { return udp::formatPeer("dtls", endpoint_->localAddress()); }

 private:
  std::shared_ptr<udp::UdpEndpoint> endpoint_;
};

}  // namespace

class DtlsPlugin : public Plugin {
 public:
  explicit DtlsPlugin(const Host& host) : Plugin(host) {}

  std::unique_ptr<Listener> listen(const std::string& url, const std::string& json,
                                   const rdk_listener_callbacks& callbacks) override {
    return std::make_unique<DtlsListener>(url, json, callbacks, host());
  }

  std::unique_ptr<Connection> connect(const std::string& url, const std::string& json,
                                      const rdk_connection_callbacks& callbacks) override {
    udp::UdpOptions o = sessionOptions(json, host());
    const DtlsOptions tls = clientTlsOptions(json, host());
    SSL_CTX* ctx = makeContext(tls, false, urlHost(url));
    const udp::PeerAddress server = udp::resolveUrl(url, "dtls", false);
    auto lower = lowerChannel(udp::anyAddress(server.storage.ss_family), o);
    auto channel = std::make_unique<DtlsChannel>(std::move(lower), ctx, false, &server);
    DtlsChannel* dtls = channel.get();  // owned by the endpoint below, which outlives this call
    auto endpoint = std::make_shared<udp::UdpEndpoint>(std::move(channel), o, "dtls");
    endpoint->setLogger(hostLogger(host()));
    endpoint->start();
    auto entry = endpoint->connectTo(server, udp::formatPeer("dtls", server),
                                     [dtls] { return !dtls->lastError().empty(); });
    if (!entry->session->established()) {
      std::string reason = dtls->lastError();
      if (reason.empty())
        reason = "no answer from " + url;
      if (reason.find("mismatch") != std::string::npos)  // hostname or IP address mismatch
        reason += ": the certificate is not for '" +
                  (tls.serverName.empty() ? urlHost(url) : tls.serverName) +
                  "' (transport.tls.server-name names the host it must be for)";
      throw Error(dtls->lastError().empty() ? RDK_E_TIMEOUT : RDK_E_AUTH,
                  "connect " + url + ": " + reason);
    }
    entry->callbacks = callbacks;
    entry->callbacksEnabled = true;
    endpoint->wake();
    return std::make_unique<udp::UdpConnection>(endpoint, entry);
  }
};

}  // namespace rdk::dtls

RDK_DEFINE_PLUGIN(rdk::dtls::DtlsPlugin)
