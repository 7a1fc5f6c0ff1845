#include "channel.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "rdk/base/clock.h"
#include "socket_io.h"
#include "tls_context.h"

namespace rdk::proxy::io {

namespace {

/// Milliseconds to wait for |deadlineUs| (0: none, -1), at least 1 while it has not passed.
int waitMs(uint64_t deadlineUs) {
  if (deadlineUs == 0)
    return -1;
  const uint64_t now = monotonicUs();
  return now >= deadlineUs
             ? 0
             : static_cast<int>(std::min<uint64_t>((deadlineUs - now) / 1000 + 1, 1 << 30));
}

bool waitFor(int fd, short events, int timeoutMs) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int rc = poll(&p, 1, timeoutMs);
    if (rc < 0 && errno == EINTR)
      continue;
    return rc == 1;
  }
}

}  // namespace

long FdChannel::read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) {
  for (;;) {
    if (!waitFor(fd_, POLLIN, waitMs(deadlineUs))) {
      *error = "timed out";
      return -1;
    }
    const ssize_t n = recv(fd_, buffer, size, MSG_DONTWAIT);
    if (n >= 0)
      return n;
    if (errno != EAGAIN && errno != EINTR) {
      *error = std::strerror(errno);
      return -1;
    }
  }
}

bool FdChannel::write(std::string_view data, int timeoutMs) {
  return writeAll(fd_, data, timeoutMs);
}

TlsChannel::TlsChannel(SSL_CTX* ctx, int fd, uint64_t deadlineUs) : fd_(fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  ssl_ = SSL_new(ctx);
  if (!ssl_ || SSL_set_fd(ssl_, fd) != 1)
    throw std::runtime_error("SSL_new failed");
  SSL_set_accept_state(ssl_);
  const uint64_t now = monotonicUs();
  const auto deadline =
      ssl::Clock::now() + std::chrono::microseconds(deadlineUs > now ? deadlineUs - now : 0);
  ssl::runHandshake(ssl_, fd, deadline, -1);  // throws rdk::Error, a std::exception
}

TlsChannel::~TlsChannel() {
  if (ssl_)
    SSL_free(ssl_);
}

long TlsChannel::read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) {
  for (;;) {
    int rc, err;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ERR_clear_error();
      rc = SSL_read(ssl_, buffer, static_cast<int>(std::min<size_t>(size, 1 << 30)));
      err = rc > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, rc);
    }
    if (rc > 0)
      return rc;
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0))
      return 0;  // close_notify, or the socket ended without one
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      *error = "TLS: " + ssl::takeOpenSslErrors("read failed");
      return -1;
    }
    if (!waitFor(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, waitMs(deadlineUs))) {
      *error = "timed out";
      return -1;
    }
  }
}

bool TlsChannel::write(std::string_view data, int timeoutMs) {
  while (!data.empty()) {
    int rc, err;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ERR_clear_error();
      rc = SSL_write(ssl_, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
      err = rc > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, rc);
    }
    if (rc > 0) {
      data.remove_prefix(static_cast<size_t>(rc));
      continue;
    }
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
      return false;
    if (!waitFor(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, timeoutMs))
      return false;
  }
  return true;
}

WsChannel::WsChannel(Channel& inner, bool server, std::string alreadyRead, size_t maxFrameBytes)
    : inner_(inner), server_(server), maxFrameBytes_(maxFrameBytes), raw_(std::move(alreadyRead)) {}

bool WsChannel::nextFrame(uint64_t deadlineUs, std::string* error) {
  for (;;) {
    ws::Frame frame;
    size_t used = 0;
    try {
      used = ws::decodeFrame(raw_, server_, maxFrameBytes_, &frame);
    } catch (const ws::WsError& e) {
      sendClose(e.code, e.what());
      *error = std::string("WebSocket: ") + e.what();
      return false;
    }
    if (used == 0) {
      char chunk[16384];
      const long n = inner_.read(chunk, sizeof chunk, deadlineUs, error);
      if (n <= 0) {
        if (n == 0)
          *error = "connection closed";
        return false;
      }
      raw_.append(chunk, static_cast<size_t>(n));
      continue;
    }
    raw_.erase(0, used);
    switch (frame.opcode) {
      case ws::kPing:
        inner_.write(ws::encodeFrame(ws::kPong, frame.payload, !server_), 5000);
        continue;
      case ws::kPong:
        continue;
      case ws::kClose:
        closed_ = true;
        *error = "WebSocket closed by the peer";
        return false;
      case ws::kContinuation:
        if (!inMessage_) {
          sendClose(1002, "continuation without a message");
          *error = "WebSocket: continuation without a message";
          return false;
        }
        break;
      default:  // text or binary: Xpra's HTML5 client sends binary, any data is its records
        if (inMessage_) {
          sendClose(1002, "new message inside a fragmented one");
          *error = "WebSocket: new message inside a fragmented one";
          return false;
        }
    }
    inMessage_ = !frame.fin;
    payload_ += frame.payload;
    return true;
  }
}

long WsChannel::read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) {
  while (payload_.empty()) {
    if (closed_)
      return 0;
    if (!nextFrame(deadlineUs, error))
      return closed_ ? 0 : -1;
  }
  const size_t n = std::min(size, payload_.size());
  std::memcpy(buffer, payload_.data(), n);
  payload_.erase(0, n);
  return static_cast<long>(n);
}

bool WsChannel::write(std::string_view data, int timeoutMs) {
  return inner_.write(ws::encodeFrame(ws::kBinary, data, !server_), timeoutMs);
}

void WsChannel::sendClose(uint16_t code, const std::string& reason) {
  inner_.write(ws::encodeClose(code, reason, !server_), 2000);
}

bool WsChannel::finishMessage(uint64_t deadlineUs, std::string* payload, std::string* error) {
  *payload += takePayload();
  while (inMessage_) {
    if (!nextFrame(deadlineUs, error))
      return false;
    *payload += takePayload();
  }
  return true;
}

std::pair<uint64_t, uint64_t> pumpChannels(Channel& a, Channel& b,
                                           const std::function<void(size_t)>& onBytes,
                                           const std::function<void()>& shutdownBoth) {
  auto copy = [&](Channel& from, Channel& to) -> uint64_t {
    if (from.plain() && to.plain())
      return pump(from.fd(), to.fd(), onBytes);
    uint64_t total = 0;
    std::string error;
    char buffer[65536];
    for (;;) {
      const long n = from.read(buffer, sizeof buffer, 0, &error);
      if (n <= 0 || !to.write(std::string_view(buffer, static_cast<size_t>(n)), -1))
        break;
      total += static_cast<uint64_t>(n);
      onBytes(static_cast<size_t>(n));
    }
    return total;
  };
  uint64_t toB = 0;
  std::thread upstream([&] {
    toB = copy(a, b);
    shutdownBoth();
  });
  const uint64_t toA = copy(b, a);
  shutdownBoth();
  upstream.join();
  return {toB, toA};
}

}  // namespace rdk::proxy::io
