#include "ssl_connection.h"

#include <openssl/err.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace rdk::ssl {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxReadPerTurn = 1 << 20;  // then give writes a turn

}  // namespace

SslConnection::SslConnection(int fd, SslPtr ssl, std::string peer, const SslOptions& options)
    : fd_(fd), ssl_(std::move(ssl)), peer_(std::move(peer)), options_(options) {
  updateWireCounters();  // the handshake's bytes
}

SslConnection::~SslConnection() {
  stop_ = true;
  wake_.signal();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    ioDone_.wait(lock, [&] { return !ioRunning_; });
  }
  ssl_.reset();
  ::close(fd_);
}

void SslConnection::start(const rdk_connection_callbacks& callbacks) {
  expectIoThread();
  std::thread([this, callbacks] { runIo(callbacks); }).detach();
}

void SslConnection::expectIoThread() {
  std::lock_guard<std::mutex> lock(mutex_);
  ioRunning_ = true;
}

void SslConnection::cancelIoThread() {
  ioThreadDone();
}

void SslConnection::ioThreadDone() {
  // The last touch of this object by the I/O thread: the destructor may free it right after.
  std::lock_guard<std::mutex> lock(mutex_);
  ioRunning_ = false;
  ioDone_.notify_all();
}

void SslConnection::runIo(const rdk_connection_callbacks& callbacks) {
  callbacks_ = callbacks;
  run();
  ioThreadDone();
}

void SslConnection::send(const rdk_bytes* iov, size_t count, const rdk_send_info&) {
  size_t total = 0;
  for (size_t i = 0; i < count; ++i)
    total += iov[i].size;
  if (total == 0)
    return;
  std::vector<uint8_t> packet;
  packet.reserve(total);
  for (size_t i = 0; i < count; ++i) {
    packet.insert(packet.end(), iov[i].data, iov[i].data + iov[i].size);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || closeRequested_)
      throw Error(RDK_E_CLOSED, "connection closed");
    // One packet larger than the whole queue still goes out when the queue is empty.
    if (queuedBytes_ > 0 && queuedBytes_ + total > options_.maxQueueBytes) {
      throw Error(RDK_E_AGAIN, "send queue full");
    }
    queuedBytes_ += total;
    queue_.push_back(std::move(packet));
  }
  packetsSent_++;
  wake_.signal();
}

void SslConnection::close(std::string_view reason) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closeRequested_ || closed_)
      return;
    closeRequested_ = true;
    closeReason_ = reason.empty() ? "closed" : std::string(reason);
    closeDeadline_ = Clock::now() + std::chrono::milliseconds(options_.closeFlushMs);
  }
  wake_.signal();
}

rdk_transport_stats SslConnection::stats() {
  rdk_transport_stats s{};
  s.struct_size = sizeof(s);
  s.bytes_sent = bytesSent_;
  s.bytes_received = bytesReceived_;
  s.wire_bytes_sent = wireSent_;
  s.wire_bytes_received = wireReceived_;
  s.packets_sent = packetsSent_;
  s.packets_received = packetsReceived_;
  std::lock_guard<std::mutex> lock(mutex_);
  s.send_queue_bytes = queuedBytes_;
  return s;
}

void SslConnection::updateWireCounters() {
  wireSent_ = BIO_number_written(SSL_get_wbio(ssl_.get()));
  wireReceived_ = BIO_number_read(SSL_get_rbio(ssl_.get()));
}

void SslConnection::finish(rdk_status status, const std::string& reason) {
  if (finished_)
    return;
  finished_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    queue_.clear();
    queuedBytes_ = 0;
  }
  if (!stop_ && callbacks_.on_closed)
    callbacks_.on_closed(callbacks_.host_conn, status, reason.c_str());
}

SslConnection::Step SslConnection::writeSome(bool& wantPollOut) {
  if (writing_.empty()) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.empty())
      return Step::kBlocked;
    writing_ = std::move(queue_.front());
    queue_.pop_front();
    writeOffset_ = 0;
  }
  ERR_clear_error();
  const int n = SSL_write(ssl_.get(), writing_.data() + writeOffset_,
                          static_cast<int>(writing_.size() - writeOffset_));
  if (n > 0) {
    // Wire first: a reader that sees the payload count then sees wire bytes at least as large.
    updateWireCounters();
    writeOffset_ += static_cast<size_t>(n);
    bytesSent_ += static_cast<uint64_t>(n);
    if (writeOffset_ == writing_.size()) {
      std::lock_guard<std::mutex> lock(mutex_);
      queuedBytes_ -= writing_.size();
      writing_.clear();
    }
    return Step::kProgress;
  }
  const int err = SSL_get_error(ssl_.get(), n);
  if (err == SSL_ERROR_WANT_WRITE) {
    wantPollOut = true;
    return Step::kBlocked;
  }
  if (err == SSL_ERROR_WANT_READ)
    return Step::kBlocked;
  finish(RDK_E_IO, "TLS write failed: " + takeOpenSslErrors(std::strerror(errno)));
  return Step::kFinished;
}

SslConnection::Step SslConnection::readSome(bool& wantPollOut) {
  uint8_t buffer[kReadChunk];
  size_t total = 0;
  while (total < kMaxReadPerTurn && !stop_) {
    ERR_clear_error();
    const int n = SSL_read(ssl_.get(), buffer, sizeof(buffer));
    if (n > 0) {
      total += static_cast<size_t>(n);
      updateWireCounters();
      bytesReceived_ += static_cast<uint64_t>(n);
      packetsReceived_++;
      if (callbacks_.on_data)
        callbacks_.on_data(callbacks_.host_conn, buffer, static_cast<size_t>(n), 0);
      continue;
    }
    const int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_READ)
      return total > 0 ? Step::kProgress : Step::kBlocked;
    if (err == SSL_ERROR_WANT_WRITE) {
      wantPollOut = true;
      return Step::kBlocked;
    }
    if (err == SSL_ERROR_ZERO_RETURN) {
      finish(RDK_E_CLOSED, "peer closed the connection");
    } else if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
      finish(RDK_E_CLOSED, errno ? std::string("connection lost: ") + std::strerror(errno)
                                 : "peer closed the connection without TLS close_notify");
    } else {
      finish(RDK_E_IO, "TLS read failed: " + takeOpenSslErrors("protocol error"));
    }
    return Step::kFinished;
  }
  return Step::kProgress;
}

void SslConnection::run() {
  ScopedSigpipeBlock noSigpipe;
  while (!stop_ && !finished_) {
    bool wantPollOut = false;
    const Step wrote = writeSome(wantPollOut);
    if (wrote == Step::kFinished)
      break;
    const Step read = readSome(wantPollOut);
    updateWireCounters();
    if (read == Step::kFinished)
      break;

    bool closing = false;
    Clock::time_point deadline;
    std::string reason;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing = closeRequested_;
      deadline = closeDeadline_;
      reason = closeReason_;
    }
    const bool flushed = writing_.empty() && [&] {
      std::lock_guard<std::mutex> lock(mutex_);
      return queue_.empty();
    }();
    if (closing && (flushed || Clock::now() >= deadline)) {
      SSL_shutdown(ssl_.get());  // best effort close_notify; the peer may be gone
      updateWireCounters();
      finish(RDK_E_CLOSED, reason);
      break;
    }
    if (wrote == Step::kProgress || read == Step::kProgress)
      continue;

    int timeoutMs = -1;
    if (closing) {
      timeoutMs = static_cast<int>(std::max<long long>(
          0,
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
    }
    pollfd fds[2] = {{fd_, static_cast<short>(POLLIN | (wantPollOut ? POLLOUT : 0)), 0},
                     {wake_.fd(), POLLIN, 0}};
    if (poll(fds, 2, timeoutMs) < 0 && errno != EINTR) {
      finish(RDK_E_IO, std::string("poll: ") + std::strerror(errno));
      break;
    }
    if (fds[1].revents & POLLIN)
      wake_.drain();
  }
}

}  // namespace rdk::ssl
