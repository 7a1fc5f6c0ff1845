// server.metrics-bind: a small HTTP listener (Poco::Net's HTTPServer) that answers GET /metrics
// with the server's Prometheus text, 404 for other paths and 405 for other methods. It shows
// peer addresses and traffic, so it belongs on a private address; nothing binds it by default.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace Poco::Net {
class HTTPServer;
}

namespace rdk::session {

class MetricsEndpoint {
 public:
  /// Called on an HTTP thread for each scrape: must be thread-safe.
  using Source = std::function<std::string()>;

  explicit MetricsEndpoint(Source source);
  ~MetricsEndpoint();

  /// Listens on |hostPort| ("127.0.0.1:9464", port 0 picks one); false and |error| when it
  /// cannot (bad address, port in use).
  bool start(const std::string& hostPort, std::string* error);
  /// The bound port (0 before start()).
  uint16_t port() const { return port_; }

 private:
  Source source_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

}  // namespace rdk::session
