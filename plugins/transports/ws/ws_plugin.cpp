// rdk-transport-ws: ws://host:port and wss://host:port, WebSocket (RFC 6455) with binary frames
// carrying the same Xpra records as tcp://, as Xpra's ws and wss socket types. The same port
// serves a web client's files over HTTP GET (docs/web.md).
#include "rdk_plugin_manifest.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/WebSocket.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include "rdk/plugin.hpp"
#include "ws_connection.h"
#include "ws_listener.h"
#include "ws_options.h"
#include "ws_tls.h"
#include "ws_url.h"

#ifndef RDK_WS_WWW_FROM_PLUGIN_DIR
#define RDK_WS_WWW_FROM_PLUGIN_DIR "../../../share/rdkernel/www"
#endif
#ifndef RDK_WS_WWW_FROM_PLUGIN_DIR_BUILD
#define RDK_WS_WWW_FROM_PLUGIN_DIR_BUILD "../../../share/rdkernel/www"
#endif

namespace rdk::ws {
namespace {

/// rdkernel's own web client, installed beside this plugin: <prefix>/share/rdkernel/www for a
/// plugin in <prefix>/<libdir>/rdkernel/plugins-1 (the build tree has the same layout).
std::string defaultWwwDir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&defaultWwwDir), &info) == 0 || !info.dli_fname)
    return {};
  std::string dir = info.dli_fname;
  dir = dir.substr(0, dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/'));
  for (const char* relative : {RDK_WS_WWW_FROM_PLUGIN_DIR, RDK_WS_WWW_FROM_PLUGIN_DIR_BUILD}) {
    const std::string candidate = dir + "/" + relative;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      return candidate;
  }
  return dir + "/" + RDK_WS_WWW_FROM_PLUGIN_DIR;
}

class WsTransportPlugin : public Plugin {
 public:
  using Plugin::Plugin;

  ConfigLookup configLookup() const {
    return [this](const std::string& key) { return host().config(key); };
  }

  std::unique_ptr<Listener> listen(const std::string& url, const std::string& optionsJson,
                                   const rdk_listener_callbacks& callbacks) override {
    return std::make_unique<WsListener>(
        url, parseWsOptions(optionsJson, parseWsUrl(url, true).secure, configLookup()), callbacks,
        host(), defaultWwwDir());
  }

  std::unique_ptr<Connection> connect(const std::string& url, const std::string& optionsJson,
                                      const rdk_connection_callbacks& callbacks) override {
    const WsUrl where = parseWsUrl(url, false);
    const WsOptions options = parseWsOptions(optionsJson, where.secure, configLookup());
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    try {
      if (where.secure) {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(
            where.host, static_cast<Poco::UInt16>(where.port), makeClientContext(options));
        // As ssl://: the name sent as SNI and checked in the certificate (default: the URL's).
        if (!options.serverName.empty())
          Poco::Net::SecureStreamSocket(session->socket()).setPeerHostName(options.serverName);
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(
            where.host, static_cast<Poco::UInt16>(where.port));
      }
      const Poco::Timespan timeout(Poco::Timespan::TimeDiff(options.connectTimeoutMs) * 1000);
      session->setTimeout(timeout, timeout, timeout);
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, where.path,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.set("Sec-WebSocket-Protocol", "binary");
      request.set("User-Agent", "rdkernel");
      Poco::Net::HTTPResponse response;
      Poco::Net::WebSocket socket(*session, request, response);
      const std::string peer = formatWsUrl(where.secure, socket.peerAddress().toString());
      auto connection = std::make_unique<WsConnection>(socket, peer, options, host());
      connection->start(callbacks);
      return connection;
    } catch (const Error&) {
      throw;
    } catch (const Poco::Net::WebSocketException& e) {
      throw Error(RDK_E_IO, "WebSocket handshake with " + url + " failed: " + e.message());
    } catch (const Poco::TimeoutException&) {
      throw Error(RDK_E_TIMEOUT, "cannot connect to " + url + ": timed out");
    } catch (const Poco::Net::SSLException& e) {
      throw Error(RDK_E_AUTH, "TLS with " + url + " failed: " + e.displayText());
    } catch (const Poco::Exception& e) {
      throw Error(RDK_E_IO, "cannot connect to " + url + ": " + e.displayText());
    }
  }
};

}  // namespace
}  // namespace rdk::ws

RDK_DEFINE_PLUGIN(rdk::ws::WsTransportPlugin)
