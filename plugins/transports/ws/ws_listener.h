// A ws:// or wss:// listener: one port, Poco::Net::HTTPServer in front. A request that asks for a
// WebSocket upgrade becomes a connection for the kernel (through on_accept); any other GET or HEAD
// is answered from the web root (WwwRoot) with security headers; other methods get 405.
//
// HTTP requests and handshakes run on a small thread pool (http_threads). A connection that
// completed its handshake leaves the pool at once: its I/O runs on its own thread (WsConnection),
// so open WebSockets never starve the web files or later handshakes.
//
// Cross-site WebSocket hijacking: a browser sends the page's Origin with every handshake; one that
// names another host than the request's Host is refused (403), so a page elsewhere cannot open the
// desktop in a visitor's browser. Clients that send no Origin (rdkernel attach) are unaffected.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "rdk/plugin.hpp"
#include "ws_options.h"
#include "www_root.h"

namespace rdk::ws {

class WsListener : public Listener {
 public:
  WsListener(const std::string& url, const WsOptions& options,
             const rdk_listener_callbacks& callbacks, const Host& host,
             const std::string& defaultWwwDir);
  /// Stops accepting, ends requests in progress and waits for their threads. Connections already
  /// handed to the kernel live on (the kernel destroys them).
  ~WsListener() override;
  std::string address() override { return address_; }

  // For the request handlers.
  void handleUpgrade(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response);
  void handleFile(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

 private:
  void addSecurityHeaders(Poco::Net::HTTPServerResponse& response) const;
  void sendText(Poco::Net::HTTPServerResponse& response, int status, const std::string& text) const;

  const bool secure_;
  const WsOptions options_;
  const rdk_listener_callbacks callbacks_;
  const Host host_;
  std::unique_ptr<WwwRoot> www_;
  std::string address_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::shared_ptr<std::atomic<size_t>> open_ = std::make_shared<std::atomic<size_t>>(0);

  std::mutex mutex_;  // guards stopping_ and serialises on_accept
  bool stopping_ = false;
};

}  // namespace rdk::ws
