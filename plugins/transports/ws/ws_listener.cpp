#include "ws_listener.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/String.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <thread>

#include "ws_connection.h"
#include "ws_handshake_rules.h"
#include "ws_tls.h"
#include "ws_url.h"

namespace rdk::ws {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void blockSigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

bool isUpgrade(const HTTPServerRequest& request) {
  return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

class UpgradeHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit UpgradeHandler(WsListener& listener) : listener_(listener) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    blockSigpipe();
    listener_.handleUpgrade(request, response);
  }

 private:
  WsListener& listener_;
};

class FileHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit FileHandler(WsListener& listener) : listener_(listener) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    blockSigpipe();
    listener_.handleFile(request, response);
  }

 private:
  WsListener& listener_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(WsListener& listener) : listener_(listener) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    if (isUpgrade(request))
      return new UpgradeHandler(listener_);
    return new FileHandler(listener_);
  }

 private:
  WsListener& listener_;
};

std::string httpDate(time_t t) {
  char buffer[64];
  tm parts{};
  gmtime_r(&t, &parts);
  std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return buffer;
}

}  // namespace

WsListener::WsListener(const std::string& url, const WsOptions& options,
                       const rdk_listener_callbacks& callbacks, const Host& host,
                       const std::string& defaultWwwDir)
    : secure_(parseWsUrl(url, true).secure), options_(options), callbacks_(callbacks), host_(host) {
  const WsUrl where = parseWsUrl(url, true);
  // The web root: an explicit directory must exist; the default (our own client) may be absent
  // in a build without it, and then the port only speaks WebSocket.
  if (options_.wwwDirExplicit) {
    www_ = std::make_unique<WwwRoot>(options_.wwwDir, options_.wwwLinkDirs);
    if (!www_->available())
      throw Error(RDK_E_INVALID_ARG, "server.www-dir '" + options_.wwwDir +
                                         "' is not a readable directory: " + std::strerror(errno));
  } else {
    www_ = std::make_unique<WwwRoot>(defaultWwwDir, options_.wwwLinkDirs,
                                     "rdkernel's web client is not installed (looked in '" +
                                         defaultWwwDir + "'); set server.www-dir");
    if (!www_->available())
      host_.log(RDK_LOG_WARNING, "ws: no web client at '" + defaultWwwDir +
                                     "': only WebSocket clients are served (set server.www-dir)");
  }

  Poco::Net::ServerSocket socket;
  try {
    const Poco::Net::SocketAddress address(where.host, static_cast<Poco::UInt16>(where.port));
    if (secure_)
      socket = Poco::Net::SecureServerSocket(makeServerContext(options_));
    socket.bind(address, true);
    socket.listen(1024);
  } catch (const Error&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_IO, "cannot listen on " + url + ": " + e.displayText());
  }
  address_ = formatWsUrl(secure_, socket.address().toString());

  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.httpThreads);
  params->setMaxQueued(256);
  params->setTimeout(Poco::Timespan(Poco::Timespan::TimeDiff(options_.requestTimeoutMs) * 1000));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setMaxKeepAliveRequests(200);
  params->setServerName("rdkernel");
  params->setSoftwareVersion("rdkernel");
  pool_ = std::make_unique<Poco::ThreadPool>(1, options_.httpThreads, 60, 256 * 1024);
  server_ =
      std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(*this), *pool_, socket, params);
  server_->start();
}

WsListener::~WsListener() {
  {
    std::lock_guard<std::mutex> lock(mutex_);  // waits for an on_accept in progress
    stopping_ = true;
  }
  try {
    server_->stopAll(true);  // stop accepting; abort requests in progress
  } catch (...) {
  }
  pool_->joinAll();  // no handler runs from here on
  server_.reset();
}

void WsListener::addSecurityHeaders(HTTPServerResponse& response) const {
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  response.set("Cross-Origin-Resource-Policy", "same-origin");
  response.set("Content-Security-Policy", www_->contentSecurityPolicy());
  response.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  response.set("Cache-Control", "no-cache");
  if (secure_)
    response.set("Strict-Transport-Security", "max-age=31536000");
}

void WsListener::sendText(HTTPServerResponse& response, int status, const std::string& text) const {
  response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
  addSecurityHeaders(response);
  response.setContentType("text/plain; charset=utf-8");
  const std::string body = text + "\n";
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

void WsListener::handleFile(HTTPServerRequest& request, HTTPServerResponse& response) {
  try {
    const std::string& method = request.getMethod();
    if (method != "GET" && method != "HEAD") {
      response.set("Allow", "GET, HEAD");
      sendText(response, 405, "method " + method + " not allowed: this port serves GET and HEAD");
      return;
    }
    const WwwRoot::Resolved r = www_->resolve(request.getURI());
    if (r.status == 301) {
      response.set("Location", r.location);
      sendText(response, 301, "moved to " + r.location);
      return;
    }
    if (r.status != 200) {
      if (r.status == 400 || r.status == 403) {
        host_.log(RDK_LOG_WARNING, "ws: refused GET " + request.getURI().substr(0, 200) + " from " +
                                       request.clientAddress().toString() + ": " + r.message);
      }
      sendText(response, r.status, r.message);
      return;
    }
    const int fd = ::open(r.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      if (fd >= 0)
        ::close(fd);
      sendText(response, 404, "not found");
      return;
    }
    const std::string etag = "\"" + std::to_string(st.st_size) + "-" +
                             std::to_string(static_cast<long long>(st.st_mtime)) + "\"";
    addSecurityHeaders(response);
    response.set("ETag", etag);
    response.set("Last-Modified", httpDate(st.st_mtime));
    if (request.get("If-None-Match", "") == etag) {
      ::close(fd);
      response.setStatusAndReason(HTTPResponse::HTTP_NOT_MODIFIED);
      response.setContentLength(0);
      response.send();
      return;
    }
    response.setContentType(r.contentType);
    response.setContentLength64(static_cast<Poco::UInt64>(st.st_size));
    std::ostream& out = response.send();
    if (method == "GET") {
      char buffer[64 * 1024];
      for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n <= 0)
          break;
        out.write(buffer, n);
        if (!out)
          break;
      }
    }
    ::close(fd);
  } catch (const std::exception& e) {
    host_.log(RDK_LOG_WARNING, std::string("ws: HTTP request failed: ") + e.what());
  }
}

void WsListener::handleUpgrade(HTTPServerRequest& request, HTTPServerResponse& response) {
  const std::string peer = formatWsUrl(secure_, request.clientAddress().toString());
  try {
    if (request.getMethod() != "GET") {
      sendText(response, 405, "a WebSocket handshake is a GET request");
      return;
    }
    // RFC 6455 4.1: the handshake carries a Host; without one the Origin check has nothing to
    // compare with (and Poco's getHost() throws, which used to end the request with no answer).
    const std::string host = request.get("Host", "");
    if (host.empty()) {
      sendText(response, 400, "a WebSocket handshake needs a Host header");
      return;
    }
    const std::string origin = request.get("Origin", "");
    if (!sameOrigin(origin, host, secure_)) {
      host_.log(RDK_LOG_WARNING, "ws: refused a WebSocket from " + peer + ": its page comes from " +
                                     origin + ", not from " + host);
      sendText(response, 403,
               "cross-origin WebSocket refused: the page comes from " + origin +
                   ", this server is " + host);
      return;
    }
    // Browsers send the subprotocols the page asked for; the Xpra HTML5 client asks for
    // "binary", and a browser drops a connection whose answer does not name one it offered.
    const std::string protocols = request.get("Sec-WebSocket-Protocol", "");
    if (!protocols.empty()) {
      if (!offersBinary(protocols)) {
        sendText(
            response, 400,
            "unsupported WebSocket subprotocol '" + protocols + "': this server speaks 'binary'");
        return;
      }
      response.set("Sec-WebSocket-Protocol", "binary");
    }
    if (open_->load() >= options_.maxConnections) {
      sendText(response, 503, "too many WebSocket connections");
      return;
    }
    std::unique_ptr<WsConnection> connection;
    try {
      addSecurityHeaders(response);
      Poco::Net::WebSocket socket(request, response);
      connection = std::make_unique<WsConnection>(socket, peer, options_, host_);
    } catch (const Poco::Net::WebSocketException& e) {
      host_.log(RDK_LOG_WARNING, "ws: bad WebSocket handshake from " + peer + ": " + e.message());
      if (e.code() == Poco::Net::WebSocket::WS_ERR_HANDSHAKE_UNSUPPORTED_VERSION ||
          e.code() == Poco::Net::WebSocket::WS_ERR_HANDSHAKE_NO_VERSION) {
        response.set("Sec-WebSocket-Version", "13");
        sendText(response, 426, "WebSocket version 13 is required");
      } else if (!response.sent()) {
        sendText(response, 400, "bad WebSocket handshake: " + e.message());
      }
      return;
    }
    ++*open_;
    connection->countIn(open_);
    const rdk_connection_callbacks* callbacks = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ || !callbacks_.on_accept)
        return;  // the listener is going away: the connection closes with it
      connection->expectIoThread();
      callbacks =
          callbacks_.on_accept(callbacks_.host_listener, toHandle(connection.get()), peer.c_str());
      if (callbacks == nullptr) {
        connection->cancelIoThread();
        return;  // refused by the kernel
      }
    }
    // The kernel owns the connection now; its I/O runs on a thread of its own.
    WsConnection* owned = connection.release();
    const rdk_connection_callbacks copy = *callbacks;
    std::thread([owned, copy] { owned->runIo(copy); }).detach();
  } catch (const std::exception& e) {
    host_.log(RDK_LOG_WARNING, "ws: WebSocket handshake with " + peer + " failed: " + e.what());
  }
}

}  // namespace rdk::ws
