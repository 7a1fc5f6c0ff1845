// One WebSocket connection after its handshake (RFC 6455, framing by Poco::Net::WebSocket). Each
// send() is one binary message holding the records of one Xpra packet; incoming binary messages
// are delivered as a byte stream through on_data, exactly as the tcp transport delivers its
// bytes, so a peer may split or merge records across messages.
//
// A single I/O thread owns the socket (a TLS socket must not be read and written from two
// threads): it writes the bounded send queue that any thread may fill, reads and checks frames,
// answers pings and close frames, and reports on_closed exactly once. The thread is detached; the
// destructor waits for it to leave instead of joining it, so a listener's request thread can hand
// the connection to the kernel and return.
//
// Frames the transport refuses, each with a close frame that says why:
//   1002 reserved bits set, unknown opcode, a continuation with no message, a new message inside
//        an unfinished one, a fragmented or over-long control frame, a frame left incomplete
//   1003 text frames (Xpra records travel in binary frames)
//   1009 a frame longer than max_frame_bytes
#pragma once

#include <Poco/Buffer.h>
#include <Poco/Net/WebSocket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/plugin.hpp"
#include "ws_options.h"

namespace rdk::ws {

using Clock = std::chrono::steady_clock;

class WsConnection : public Connection {
 public:
  /// Takes the handshaken |socket|; |peer| is "ws://1.2.3.4:5678".
  WsConnection(const Poco::Net::WebSocket& socket, std::string peer, const WsOptions& options,
               const Host& host);
  /// Stops the I/O thread, waits until it has left (no callback runs afterwards), closes.
  ~WsConnection() override;

  /// Client side: starts a detached I/O thread; callbacks flow from then on.
  void start(const rdk_connection_callbacks& callbacks);
  /// Server side, before on_accept: the destructor waits for a runIo() call from now on.
  void expectIoThread();
  /// on_accept refused the connection: no runIo() will come.
  void cancelIoThread();
  /// Runs the I/O loop on the calling thread until the connection ends or is destroyed.
  void runIo(const rdk_connection_callbacks& callbacks);

  void send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) override;
  rdk_transport_stats stats() override;
  void close(std::string_view reason) override;
  std::string peerAddress() override { return peer_; }
  /// |counter| counts open connections; this one leaves it when destroyed.
  void countIn(std::shared_ptr<std::atomic<size_t>> counter) { counter_ = std::move(counter); }

 private:
  enum class Step { kProgress, kIdle, kFinished };
  void run();
  void ioThreadDone();
  Step writeQueued();
  Step readFrame();
  /// Sends a close frame (best effort) and reports on_closed.
  void refuse(uint16_t code, const std::string& reason, rdk_status status);
  void sendClose(uint16_t code, const std::string& reason);
  void finish(rdk_status status, const std::string& reason);
  bool waitReadable(int timeoutMs);

  Poco::Net::WebSocket socket_;
  const int fd_;
  const std::string peer_;
  const WsOptions options_;
  const Host host_;
  rdk_connection_callbacks callbacks_{};
  int wakeFd_ = -1;
  std::atomic<bool> stop_{false};
  std::condition_variable ioDone_;
  bool ioRunning_ = false;    // guarded by mutex_
  bool finished_ = false;     // I/O thread only
  bool inMessage_ = false;    // I/O thread only: a fragmented binary message is open
  bool closeSent_ = false;    // I/O thread only
  Poco::Buffer<char> frame_;  // I/O thread only

  std::mutex mutex_;  // guards everything below
  std::deque<std::vector<uint8_t>> queue_;
  size_t queuedBytes_ = 0;
  bool closeRequested_ = false;
  bool closed_ = false;
  std::string closeReason_;
  Clock::time_point closeDeadline_{};

  std::atomic<uint64_t> bytesSent_{0}, bytesReceived_{0}, packetsSent_{0}, packetsReceived_{0};
  std::atomic<uint64_t> wireSent_{0}, wireReceived_{0};
  std::shared_ptr<std::atomic<size_t>> counter_;
};

}  // namespace rdk::ws
