// One TLS connection after its handshake. A single I/O thread owns the SSL object (OpenSSL objects
// are not thread-safe): it reads and delivers slices through on_data, writes the bounded send
// queue that any thread may fill, and reports on_closed exactly once.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rdk/plugin.hpp"
#include "socket_util.h"
#include "ssl_options.h"
#include "tls_context.h"

namespace rdk::ssl {

class SslConnection : public Connection {
 public:
  /// Takes ownership of the connected non-blocking |fd| and the handshaken |ssl|.
  SslConnection(int fd, SslPtr ssl, std::string peer, const SslOptions& options);
  /// Stops the I/O thread (no callback runs afterwards) and closes the socket.
  ~SslConnection() override;

  /// Starts the I/O thread; callbacks flow from then on.
  void start(const rdk_connection_callbacks& callbacks);

  void send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) override;
  rdk_transport_stats stats() override;
  void close(std::string_view reason) override;
  std::string peerAddress() override { return peer_; }

 private:
  enum class Step { kProgress, kBlocked, kFinished };
  void run();
  Step writeSome(bool& wantPollOut);
  Step readSome(bool& wantPollOut);
  void finish(rdk_status status, const std::string& reason);
  void updateWireCounters();

  const int fd_;
  SslPtr ssl_;
  const std::string peer_;
  const SslOptions options_;
  rdk_connection_callbacks callbacks_{};
  WakeFd wake_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool finished_ = false;  // I/O thread only

  std::mutex mutex_;  // guards everything below
  std::deque<std::vector<uint8_t>> queue_;
  size_t queuedBytes_ = 0;
  bool closeRequested_ = false;
  bool closed_ = false;
  std::string closeReason_;
  Clock::time_point closeDeadline_{};

  std::vector<uint8_t> writing_;  // I/O thread only: the record being written
  size_t writeOffset_ = 0;

  std::atomic<uint64_t> bytesSent_{0}, bytesReceived_{0}, packetsSent_{0}, packetsReceived_{0};
  std::atomic<uint64_t> wireSent_{0}, wireReceived_{0};
};

}  // namespace rdk::ssl
