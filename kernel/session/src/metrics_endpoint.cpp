#include "rdk/session/metrics_endpoint.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace rdk::session {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

class MetricsHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit MetricsHandler(const MetricsEndpoint::Source& source) : source_(source) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    const std::string path = request.getURI().substr(0, request.getURI().find('?'));
    if (path != "/metrics") {
      reply(response, HTTPResponse::HTTP_NOT_FOUND, "not found: the metrics are at /metrics\n");
      return;
    }
    if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
      response.set("Allow", "GET, HEAD");
      reply(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "only GET\n");
      return;
    }
    const std::string body = source_();
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    if (request.getMethod() == "HEAD") {
      response.send();
      return;
    }
    response.sendBuffer(body.data(), body.size());
  }

 private:
  static void reply(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                    const std::string& text) {
    response.setStatusAndReason(status);
    response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.sendBuffer(text.data(), text.size());
  }
  const MetricsEndpoint::Source& source_;
};

class MetricsHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit MetricsHandlerFactory(const MetricsEndpoint::Source& source) : source_(source) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new MetricsHandler(source_);
  }

 private:
  const MetricsEndpoint::Source& source_;
};

}  // namespace

MetricsEndpoint::MetricsEndpoint(Source source) : source_(std::move(source)) {}

MetricsEndpoint::~MetricsEndpoint() {
  if (server_)
    server_->stopAll(true);
}

bool MetricsEndpoint::start(const std::string& hostPort, std::string* error) {
  try {
    // No SO_REUSEPORT (Poco's address constructor sets it): a second server on the same port
    // must fail, not share the scrapes.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(hostPort), /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(16);
    port_ = socket.address().port();
    // Scrapes are rare and small: two threads, a short queue and short timeouts keep a client
    // that stalls or floods this port from holding more than that.
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(2);
    params->setMaxQueued(16);
    params->setTimeout(Poco::Timespan(5, 0));
    params->setKeepAlive(false);
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new MetricsHandlerFactory(source_), socket, params);
    server_->start();
    return true;
  } catch (const Poco::Exception& e) {
    *error = "cannot serve metrics on " + hostPort + ": " + e.displayText();
    return false;
  }
}

}  // namespace rdk::session
