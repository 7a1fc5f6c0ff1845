// One client connection of the proxy (private to kernel/proxy).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "channel.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/record_writer.h"
#include "rdk/proxy/proxy_server.h"
#include "socket_io.h"

namespace rdk::proxy {

struct ProxyServer::Connection {
  int clientFd = -1;
  std::atomic<int> sessionFd{-1};
  std::string peer;                   // tcp://ip:port (the address, for throttling and logs)
  std::string scheme = "tcp";         // of the bind it came in on: tcp, ssl, ws, wss
  std::unique_ptr<io::Channel> base;  // the socket, or TLS over it
  std::unique_ptr<io::WsChannel> ws;  // ws/wss, during the login
  io::Channel* top = nullptr;         // what packets are read from and written to
  std::unique_ptr<io::PacketStream> client;
  protocol::RecordWriter toClient;
  protocol::Capabilities hello;
  std::thread thread;
  std::atomic<bool> done{false};

  /// Closes the sockets: only after the thread is joined, so shutdownAll never meets a reused fd.
  ~Connection();

  /// Both sockets shut down: wakes the threads blocked on them.
  void shutdownAll();
  void sendToClient(const protocol::Packet& packet);
  void disconnectClient(const std::string& reason, const std::string& detail = "");
};

}  // namespace rdk::proxy
