// A bound TCP socket that accepts connections on the plugin's event loop.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "event_loop.hpp"
#include "rdk/plugin.hpp"
#include "tcp_options.hpp"

namespace rdk::tcp {

class AcceptHandler;

class TcpListener : public Listener {
 public:
  TcpListener(EventLoop& loop, const std::string& url, const TcpOptions& options,
              const rdk_listener_callbacks& callbacks);
  /// Accepts on a socket already bound and listening (a unix-domain one); its peers are named
  /// |address|.
  TcpListener(EventLoop& loop, int listeningFd, const std::string& address,
              const TcpOptions& options, const rdk_listener_callbacks& callbacks);
  ~TcpListener() override;
  std::string address() override { return address_; }

 private:
  EventLoop& loop_;
  int fd_ = -1;
  std::string address_;
  std::shared_ptr<AcceptHandler> handler_;
};

/// Connects with a timeout; returns a started connection.
std::unique_ptr<Connection> tcpConnect(EventLoop& loop, const std::string& url,
                                       const TcpOptions& options,
                                       const rdk_connection_callbacks& callbacks);

}  // namespace rdk::tcp
