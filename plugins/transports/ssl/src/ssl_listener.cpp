#include "ssl_listener.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ssl_connection.h"

namespace rdk::ssl {

SslListener::SslListener(const std::string& url, const SslOptions& options,
                         const rdk_listener_callbacks& callbacks, const Host& host)
    : options_(options), callbacks_(callbacks), host_(host), ctx_(makeServerContext(options)) {
  const SocketAddress bindAddress = resolve(parseUrl(url), true);
  listenFd_ = socket(bindAddress.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listenFd_ < 0)
    throw Error(RDK_E_IO, std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(listenFd_, reinterpret_cast<const sockaddr*>(&bindAddress.storage),
           bindAddress.length) != 0 ||
      listen(listenFd_, 1024) != 0) {
    const int err = errno;
    ::close(listenFd_);
    throw Error(RDK_E_IO, "cannot listen on " + url + ": " + std::strerror(err));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(listenFd_, reinterpret_cast<sockaddr*>(&bound), &length);
  address_ = formatAddress(reinterpret_cast<const sockaddr*>(&bound), length);
  acceptThread_ = std::thread([this] { acceptLoop(); });
}

SslListener::~SslListener() {
  {
    std::lock_guard<std::mutex> lock(mutex_);  // waits for an on_accept in progress
    stopping_ = true;
  }
  stop_.signal();
  if (acceptThread_.joinable())
    acceptThread_.join();
  // No new handshake threads can appear now; the stop fd makes the running ones give up.
  for (auto& h : handshakes_)
    h->thread.join();
  ::close(listenFd_);
}

void SslListener::reapFinishedHandshakes() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = handshakes_.begin(); it != handshakes_.end();) {
    if ((*it)->done) {
      (*it)->thread.join();
      it = handshakes_.erase(it);
    } else {
      ++it;
    }
  }
}

bool SslListener::evictOldestHandshake() {
  // A real TLS handshake takes milliseconds; when every slot is taken, the oldest one is a socket
  // that connected and sent nothing (or too little). It gives way, so idle sockets can never
  // keep clients out. Evicted handshakes end at once (their poll wakes), but until they are
  // reaped they still count: the table never holds more than twice the limit.
  if (handshakes_.size() >= 2 * options_.maxPendingHandshakes)
    return false;
  for (auto& h : handshakes_) {
    if (!h->done && !h->evicted && h->fd >= 0) {
      ::shutdown(h->fd, SHUT_RDWR);
      h->evicted = true;
      return true;
    }
  }
  return false;
}

void SslListener::acceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listenFd_, POLLIN, 0}, {stop_.fd(), POLLIN, 0}};
    if (poll(fds, 2, 1000) < 0 && errno != EINTR) {
      host_.log(RDK_LOG_ERROR, std::string("ssl listener poll: ") + std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN)
      return;
    reapFinishedHandshakes();
    if (!(fds[0].revents & POLLIN))
      continue;
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    const int fd = accept4(listenFd_, reinterpret_cast<sockaddr*>(&peer), &length,
                           SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
      continue;  // EAGAIN, ECONNABORTED, EMFILE...: try again on the next wake-up
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    const std::string peerText = formatAddress(reinterpret_cast<const sockaddr*>(&peer), length);
    std::lock_guard<std::mutex> lock(mutex_);
    if (handshakes_.size() >= options_.maxPendingHandshakes && !evictOldestHandshake()) {
      host_.log(RDK_LOG_WARNING, "ssl: too many pending handshakes, refusing " + peerText);
      ::close(fd);
      continue;
    }
    auto entry = std::make_unique<Handshake>();
    entry->fd = fd;
    Handshake* raw = entry.get();
    handshakes_.push_back(std::move(entry));
    raw->thread = std::thread([this, fd, peerText, raw] { handshake(fd, peerText, raw); });
  }
}

void SslListener::handshake(int fd, std::string peer, Handshake* self) {
  ScopedSigpipeBlock noSigpipe;
  SslPtr ssl(SSL_new(ctx_.get()));
  try {
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
      throw Error(RDK_E_INTERNAL, takeOpenSslErrors("SSL_new failed"));
    }
    SSL_set_accept_state(ssl.get());
    runHandshake(ssl.get(), fd,
                 Clock::now() + std::chrono::milliseconds(options_.handshakeTimeoutMs), stop_.fd());
  } catch (const std::exception& e) {
    host_.log(RDK_LOG_WARNING, "ssl: handshake with " + peer + " failed: " + e.what());
    ssl.reset();
    {
      std::lock_guard<std::mutex> lock(mutex_);  // eviction must never shut down a reused fd
      self->fd = -1;
    }
    ::close(fd);
    self->done = true;
    return;
  }
  auto connection = std::make_unique<SslConnection>(fd, std::move(ssl), peer, options_);
  const rdk_connection_callbacks* callbacks = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    self->fd = -1;  // the connection owns it now
    if (stopping_ || !callbacks_.on_accept) {
      self->done = true;
      return;  // the listener is going away: drop the connection
    }
    connection->expectIoThread();
    callbacks =
        callbacks_.on_accept(callbacks_.host_listener, toHandle(connection.get()), peer.c_str());
    if (callbacks == nullptr) {
      connection->cancelIoThread();
      self->done = true;
      return;  // refused by the kernel
    }
    // Handed over: this thread leaves the listener and becomes the connection's I/O thread; from
    // here on it touches neither the listener nor its own Handshake entry.
    self->thread.detach();
    handshakes_.remove_if([self](const auto& entry) { return entry.get() == self; });
  }
  connection.release()->runIo(*callbacks);  // the kernel owns the connection now
}

}  // namespace rdk::ssl
