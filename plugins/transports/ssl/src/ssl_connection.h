// One TLS connection after its handshake. A single I/O thread owns the SSL object (OpenSSL objects
// are not thread-safe): it reads and delivers slices through on_data, writes the bounded send
// queue that any thread may fill, and reports on_closed exactly once.
//
// The I/O thread is detached and the destructor waits for it to leave instead of joining it. That
// lets a listener's handshake thread become the I/O thread of the connection it hands to the
// kernel, without touching the connection from another thread after on_accept returns (the kernel
// may destroy it at any moment from then on).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
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
  /// Stops the I/O thread, waits until it has left (no callback runs afterwards), closes the
  /// socket.
  ~SslConnection() override;

  /// Starts a detached I/O thread; callbacks flow from then on (client side).
  void start(const rdk_connection_callbacks& callbacks);

  /// Server side, before on_accept: the destructor will wait for a runIo() call from now on.
  void expectIoThread();
  /// on_accept refused the connection: no runIo() will come.
  void cancelIoThread();
  /// Runs the I/O loop on the calling thread until the connection ends or is destroyed.
  void runIo(const rdk_connection_callbacks& callbacks);

  void send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) override;
  rdk_transport_stats stats() override;
  void close(std::string_view reason) override;
  std::string peerAddress() override { return peer_; }

 private:
  enum class Step { kProgress, kBlocked, kFinished };
  void run();
  void ioThreadDone();
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
  std::atomic<bool> stop_{false};
  std::condition_variable ioDone_;
  bool ioRunning_ = false;  // guarded by mutex_
  bool finished_ = false;   // I/O thread only

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
