// One TCP connection: non-blocking socket, bounded write queue, callbacks from the loop thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "event_loop.hpp"
#include "rdk/plugin.hpp"
#include "tcp_options.hpp"

namespace rdk::tcp {

/// The part registered in the event loop; shared so a handler call in flight keeps it alive.
class TcpSocketState : public IoHandler, public std::enable_shared_from_this<TcpSocketState> {
 public:
  TcpSocketState(EventLoop& loop, int fd, const TcpOptions& options, std::string peer);

  /// Starts I/O unless the kernel already destroyed the connection. The caller holds
  /// callbackMutex() (from before on_accept), so a connection_destroy racing with the start
  /// waits for it.
  void startLocked(const rdk_connection_callbacks& callbacks);
  std::mutex& callbackMutex() { return callbackMutex_; }
  void send(const rdk_bytes* iov, size_t count);
  void requestClose(const std::string& reason);
  /// After this no callback runs (the kernel is destroying the connection).
  void detach();
  rdk_transport_stats stats();
  int fd() const { return fd_; }
  const std::string& peer() const { return peer_; }

  void onReadable() override;
  void onWritable() override;
  void onError() override;
  void onTick(uint64_t nowUs) override;

 private:
  /// Writes what the socket takes; returns false on a fatal error (errno in lastErrno_).
  bool flushLocked();
  void finish(rdk_status status, const std::string& reason);

  EventLoop& loop_;
  const int fd_;
  const TcpOptions options_;
  const std::string peer_;
  rdk_connection_callbacks callbacks_{};
  // Held by every entry from the loop (readiness, ticks, posted work) and by detach(), so that
  // after detach() returns no callback is running or will run. Per connection: destroying one
  // connection never waits for another's callback.
  std::mutex callbackMutex_;
  std::atomic<bool> started_{false};
  std::atomic<bool> detached_{false};
  std::atomic<bool> finished_{false};

  std::mutex writeMutex_;
  std::deque<std::vector<uint8_t>> queue_;
  size_t headOffset_ = 0;
  size_t queuedBytes_ = 0;
  int lastErrno_ = 0;
  bool writeFailed_ = false;

  std::atomic<bool> closing_{false};  // set on the loop thread
  uint64_t closeDeadlineUs_ = 0;
  std::string closeReason_;
  uint64_t lastReceiveUs_ = 0;

  std::atomic<uint64_t> bytesSent_{0}, bytesReceived_{0}, packetsSent_{0}, reads_{0};
};

class TcpConnection : public Connection {
 public:
  TcpConnection(EventLoop& loop, int fd, const TcpOptions& options, std::string peer);
  ~TcpConnection() override;

  const std::shared_ptr<TcpSocketState>& state() const { return state_; }
  void send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) override;
  rdk_transport_stats stats() override { return state_->stats(); }
  void close(std::string_view reason) override;
  std::string peerAddress() override { return state_->peer(); }

 private:
  EventLoop& loop_;
  std::shared_ptr<TcpSocketState> state_;
};

}  // namespace rdk::tcp
