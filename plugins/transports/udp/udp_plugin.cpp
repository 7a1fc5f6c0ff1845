// The udp transport plugin: udp://host:port to bind and to connect.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "rdk/plugin.hpp"
#include "rdk_plugin_manifest.h"
#include "socket_channel.hpp"
#include "udp_connection.hpp"
#include "udp_endpoint.hpp"
#include "udp_options.hpp"
#include "udp_url.hpp"

namespace rdk::udp {

namespace {

std::function<void(const std::string&)> hostLogger(const Host& host) {
  return [host](const std::string& msg) { host.log(RDK_LOG_WARNING, msg); };
}

// The settings this plugin declares (settings.json) and the option each fills when the kernel's
// options_json does not carry it; empty means the plugin's default (docs/udp.md).
struct DeclaredSetting {
  const char* key;
  const char* option;
  bool boolean;
};
const DeclaredSetting kSettings[] = {
    {"transport.udp.max-mtu", "max_mtu", false},
    {"transport.udp.probe-mtu", "probe_mtu", true},
    {"transport.udp.send-buffer-bytes", "send_buffer_bytes", false},
    {"transport.udp.receive-buffer-bytes", "receive_buffer_bytes", false},
    {"transport.udp.receive-buffer-untrusted-bytes", "receive_buffer_untrusted_bytes", false},
    {"transport.udp.receive-buffer-total-bytes", "receive_buffer_total_bytes", false},
    {"transport.udp.receive-buffer-untrusted-total-bytes", "receive_buffer_untrusted_total_bytes",
     false},
    {"transport.udp.max-ack-delay-ms", "max_ack_delay_ms", false},
    {"transport.udp.max-rto-ms", "max_rto_ms", false},
    {"transport.udp.droppable-deadline-ms", "droppable_deadline_ms", false},
    {"transport.udp.connect-timeout-ms", "connect_timeout_ms", false},
    {"transport.udp.allow-roaming", "allow_roaming", true},
    {"transport.udp.initial-rate-kbps", "initial_rate_kbps", false},
    {"transport.udp.max-rate-kbps", "max_rate_kbps", false},
};

// |json| with the declared settings that are set (the kernel validated their values) added.
std::string withDeclaredSettings(const std::string& json, const Host& host) {
  Poco::JSON::Object::Ptr o;
  try {
    o = json.empty() ? Poco::JSON::Object::Ptr(new Poco::JSON::Object)
                     : Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return json;  // parseUdpOptions says what is wrong with it
  }
  if (!o)
    return json;
  bool added = false;
  for (const DeclaredSetting& s : kSettings) {
    if (o->has(s.option))
      continue;
    const std::optional<std::string> value = host.config(s.key);
    if (!value || value->empty())
      continue;
    if (s.boolean) {
      o->set(s.option, *value == "true" || *value == "yes" || *value == "on" || *value == "1");
    } else {
      try {
        o->set(s.option, std::stod(*value));
      } catch (const std::exception&) {
        throw Error(RDK_E_INVALID_ARG, std::string(s.key) + " is not a number: " + *value);
      }
    }
    added = true;
  }
  if (!added)
    return json;
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(o, text);
  return text.str();
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
