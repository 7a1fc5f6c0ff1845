#include "tcp_connection.hpp"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rdk::tcp {

namespace {
constexpr size_t kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerWakeup = 16;  // fairness between many clients on one loop
constexpr int kMaxIov = 64;
}  // namespace

TcpSocketState::TcpSocketState(EventLoop& loop, int fd, const TcpOptions& options, std::string peer)
    : loop_(loop), fd_(fd), options_(options), peer_(std::move(peer)) {
  lastReceiveUs_ = monotonicUs();
}

void TcpSocketState::startLocked(const rdk_connection_callbacks& callbacks) {
  if (detached_)
    return;  // destroyed by the kernel between on_accept and here: the fd is closed or closing
  callbacks_ = callbacks;
  started_ = true;
  bool wantWrite;
  {
    std::lock_guard<std::mutex> lock(writeMutex_);
    wantWrite = queuedBytes_ > 0;
  }
  loop_.add(fd_, wantWrite, shared_from_this());
}

void TcpSocketState::send(const rdk_bytes* iov, size_t count) {
  if (finished_ || closing_)
    throw Error(RDK_E_CLOSED, "connection closed");
  size_t total = 0;
  for (size_t i = 0; i < count; ++i)
    total += iov[i].size;
  std::lock_guard<std::mutex> lock(writeMutex_);
  if (writeFailed_)
    throw Error(RDK_E_CLOSED, "connection failed");
  // An oversized packet is still accepted into an empty queue, or it could never be sent.
  if (queuedBytes_ > 0 && queuedBytes_ + total > options_.maxQueueBytes) {
    throw Error(RDK_E_AGAIN, "send buffer full");
  }
  const bool wasEmpty = queuedBytes_ == 0;
  std::vector<uint8_t> packet;
  packet.reserve(total);
  for (size_t i = 0; i < count; ++i) {
    if (iov[i].size)
      packet.insert(packet.end(), iov[i].data, iov[i].data + iov[i].size);
  }
  queue_.push_back(std::move(packet));
  queuedBytes_ += total;
  packetsSent_++;
  if (!wasEmpty)
    return;  // the loop already waits for writability
  if (!flushLocked()) {
    writeFailed_ = true;
    auto self = shared_from_this();
    const std::string reason = std::string("write failed: ") + std::strerror(lastErrno_);
    loop_.post([self, reason] {
      std::lock_guard<std::mutex> callbacks(self->callbackMutex_);
      self->finish(RDK_E_IO, reason);
    });
    return;
  }
  if (queuedBytes_ > 0 && started_)
    loop_.setWantWrite(fd_, true);
}

bool TcpSocketState::flushLocked() {
  while (queuedBytes_ > 0) {
    iovec vec[kMaxIov];
    int n = 0;
    size_t offset = headOffset_;
    for (auto it = queue_.begin(); it != queue_.end() && n < kMaxIov; ++it) {
      vec[n].iov_base = it->data() + offset;
      vec[n].iov_len = it->size() - offset;
      offset = 0;
      ++n;
    }
    msghdr msg{};
    msg.msg_iov = vec;
    msg.msg_iovlen = static_cast<size_t>(n);
    const ssize_t written = sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return true;
      lastErrno_ = errno;
      return false;
    }
    size_t left = static_cast<size_t>(written);
    bytesSent_ += left;
    queuedBytes_ -= left;
    while (left > 0) {
      const size_t headLeft = queue_.front().size() - headOffset_;
      if (left >= headLeft) {
        left -= headLeft;
        queue_.pop_front();
        headOffset_ = 0;
      } else {
        headOffset_ += left;
        left = 0;
      }
    }
    while (!queue_.empty() && queue_.front().size() == headOffset_) {  // empty packets
      queue_.pop_front();
      headOffset_ = 0;
    }
  }
  return true;
}

void TcpSocketState::onWritable() {
  std::lock_guard<std::mutex> callbacks(callbackMutex_);
  if (detached_)
    return;
  if (finished_)
    return;
  bool ok;
  bool empty;
  {
    std::lock_guard<std::mutex> lock(writeMutex_);
    ok = flushLocked();
    empty = queuedBytes_ == 0;
    if (!ok)
      writeFailed_ = true;
  }
  if (!ok) {
    finish(RDK_E_IO, std::string("write failed: ") + std::strerror(lastErrno_));
    return;
  }
  if (empty) {
    loop_.setWantWrite(fd_, false);
    if (closing_)
      finish(RDK_OK, closeReason_);
  }
}

void TcpSocketState::onReadable() {
  std::lock_guard<std::mutex> callbacks(callbackMutex_);
  if (detached_)
    return;
  if (finished_ || detached_)
    return;
  uint8_t buffer[kReadChunk];
  for (int i = 0; i < kMaxReadsPerWakeup; ++i) {
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n > 0) {
      lastReceiveUs_ = monotonicUs();
      bytesReceived_ += static_cast<uint64_t>(n);
      reads_++;
      if (!detached_ && !closing_) {
        callbacks_.on_data(callbacks_.host_conn, buffer, static_cast<size_t>(n), 0);
      }
      if (finished_)
        return;
      continue;
    }
    if (n == 0) {
      finish(RDK_E_CLOSED, closing_ ? closeReason_ : "connection closed by peer");
      return;
    }
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return;
    finish(errno == ECONNRESET ? RDK_E_CLOSED : RDK_E_IO,
           errno == ECONNRESET ? "connection reset by peer"
                               : std::string("read failed: ") + std::strerror(errno));
    return;
  }
}

void TcpSocketState::onError() {
  std::lock_guard<std::mutex> callbacks(callbackMutex_);
  if (detached_)
    return;
  int err = 0;
  socklen_t len = sizeof(err);
  getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
  finish(RDK_E_IO, std::string("socket error: ") + std::strerror(err ? err : EIO));
}

void TcpSocketState::onTick(uint64_t nowUs) {
  std::lock_guard<std::mutex> callbacks(callbackMutex_);
  if (detached_)
    return;
  if (finished_)
    return;
  if (closing_ && nowUs >= closeDeadlineUs_) {
    finish(RDK_OK, closeReason_ + " (unsent data discarded)");
    return;
  }
  if (options_.idleTimeoutS > 0 &&
      nowUs - lastReceiveUs_ > static_cast<uint64_t>(options_.idleTimeoutS) * 1000000u) {
    finish(RDK_E_TIMEOUT,
           "peer stopped answering for " + std::to_string(options_.idleTimeoutS) + " s");
  }
}

void TcpSocketState::requestClose(const std::string& reason) {
  auto self = shared_from_this();
  loop_.post([self, reason] {
    std::lock_guard<std::mutex> callbacks(self->callbackMutex_);
    if (self->detached_ || self->finished_ || self->closing_)
      return;
    self->closing_ = true;
    self->closeReason_ = reason.empty() ? "closed" : reason;
    self->closeDeadlineUs_ =
        monotonicUs() + static_cast<uint64_t>(self->options_.closeFlushMs) * 1000;
    bool empty;
    {
      std::lock_guard<std::mutex> lock(self->writeMutex_);
      empty = self->queuedBytes_ == 0;
    }
    if (empty)
      self->finish(RDK_OK, self->closeReason_);
  });
}

void TcpSocketState::finish(rdk_status status, const std::string& reason) {
  if (finished_.exchange(true))
    return;
  if (detached_)
    return;  // the owner closed the fd already; it may belong to someone else now
  shutdown(fd_, SHUT_RDWR);
  loop_.remove(fd_);  // on the loop thread: no waiting; the fd is closed by the owner
  if (started_ && !detached_ && callbacks_.on_closed) {
    callbacks_.on_closed(callbacks_.host_conn, status, reason.c_str());
  }
}

void TcpSocketState::detach() {
  // Taking the callback lock waits for a callback already running on the loop thread (on_closed
  // from finish(), on_data): after connection_destroy returns, the kernel frees what the
  // callbacks point to. connection_destroy is never called from inside a callback (ABI rule).
  std::lock_guard<std::mutex> callbacks(callbackMutex_);
  detached_ = true;
}

rdk_transport_stats TcpSocketState::stats() {
  rdk_transport_stats s{};
  s.struct_size = sizeof(s);
  s.bytes_sent = bytesSent_;
  s.wire_bytes_sent = bytesSent_;
  s.bytes_received = bytesReceived_;
  s.wire_bytes_received = bytesReceived_;
  s.packets_sent = packetsSent_;
  std::lock_guard<std::mutex> lock(writeMutex_);
  s.send_queue_bytes = queuedBytes_;
  return s;
}

TcpConnection::TcpConnection(EventLoop& loop, int fd, const TcpOptions& options, std::string peer)
    : loop_(loop), state_(std::make_shared<TcpSocketState>(loop, fd, options, std::move(peer))) {}

TcpConnection::~TcpConnection() {
  state_->detach();
  loop_.remove(state_->fd());
  ::close(state_->fd());
}

void TcpConnection::send(const rdk_bytes* iov, size_t count, const rdk_send_info& /*info*/) {
  // Droppable packets travel reliably: a stream cannot skip bytes.
  state_->send(iov, count);
}

void TcpConnection::close(std::string_view reason) {
  state_->requestClose(std::string(reason));
}

}  // namespace rdk::tcp
