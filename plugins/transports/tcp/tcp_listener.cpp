#include "tcp_listener.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "socket_address.hpp"
#include "tcp_connection.hpp"

namespace rdk::tcp {

namespace {

void setNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

std::string errnoText(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

}  // namespace

class AcceptHandler : public IoHandler {
 public:
  AcceptHandler(EventLoop& loop, int fd, const TcpOptions& options,
                const rdk_listener_callbacks& callbacks, std::string localPeer)
      : loop_(loop),
        fd_(fd),
        options_(options),
        callbacks_(callbacks),
        localPeer_(std::move(localPeer)) {}

  void onReadable() override {
    std::lock_guard<std::mutex> callbacks(callbackMutex_);
    for (int i = 0; i < 64 && !detached_; ++i) {
      sockaddr_storage peer{};
      socklen_t len = sizeof(peer);
      const int cfd =
          accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (cfd < 0)
        return;  // EAGAIN, or a transient error (EMFILE...): retry on next readiness
      // A unix-domain peer has no address of its own: it is named after the socket.
      const bool local = peer.ss_family == AF_UNIX;
      if (!local)
        setNoDelay(cfd);
      const std::string peerText =
          local ? localPeer_ : formatAddress("tcp", reinterpret_cast<sockaddr*>(&peer), len);
      auto conn = std::make_unique<TcpConnection>(loop_, cfd, options_, peerText);
      const std::shared_ptr<TcpSocketState> state = conn->state();
      // The kernel may destroy the connection the moment on_accept returns (a refused or evicted
      // peer); holding the callback lock until I/O has started makes that destroy wait.
      std::unique_lock<std::mutex> starting(state->callbackMutex());
      const rdk_connection_callbacks* cb =
          callbacks_.on_accept(callbacks_.host_listener, toHandle(conn.get()), peerText.c_str());
      if (!cb) {
        starting.unlock();
        continue;  // refused: the unique_ptr closes it
      }
      conn.release();  // the kernel owns it now (connection_destroy)
      state->startLocked(*cb);
    }
  }
  void onWritable() override {}
  void onError() override {}
  void onTick(uint64_t) override {}
  void detach() {
    detached_ = true;
    if (!loop_.onLoopThread())
      std::lock_guard<std::mutex> wait(callbackMutex_);
  }

 private:
  EventLoop& loop_;
  const int fd_;
  const TcpOptions options_;
  const rdk_listener_callbacks callbacks_;
  const std::string localPeer_;
  std::atomic<bool> detached_{false};
  std::mutex callbackMutex_;  // held while on_accept runs; detach() waits for it
};

TcpListener::TcpListener(EventLoop& loop, const std::string& url, const TcpOptions& options,
                         const rdk_listener_callbacks& callbacks)
    : loop_(loop) {
  const ResolvedAddress addr = resolve(parseUrl(url, "tcp"), true);
  fd_ = socket(addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw Error(RDK_E_IO, errnoText("socket"));
  int one = 1;
  setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd_, reinterpret_cast<const sockaddr*>(&addr.storage), addr.length) != 0 ||
      ::listen(fd_, options.backlog) != 0) {
    const std::string msg = errnoText("bind " + url);
    ::close(fd_);
    throw Error(RDK_E_IO, msg);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  address_ = formatAddress("tcp", reinterpret_cast<sockaddr*>(&bound), len);
  handler_ = std::make_shared<AcceptHandler>(loop_, fd_, options, callbacks, "");
  loop_.add(fd_, false, handler_);
}

TcpListener::TcpListener(EventLoop& loop, int listeningFd, const std::string& address,
                         const TcpOptions& options, const rdk_listener_callbacks& callbacks)
    : loop_(loop), fd_(listeningFd), address_(address) {
  handler_ = std::make_shared<AcceptHandler>(loop_, fd_, options, callbacks, address);
  loop_.add(fd_, false, handler_);
}

TcpListener::~TcpListener() {
  handler_->detach();
  loop_.remove(fd_);
  ::close(fd_);
}

std::unique_ptr<Connection> tcpConnect(EventLoop& loop, const std::string& url,
                                       const TcpOptions& options,
                                       const rdk_connection_callbacks& callbacks) {
  const ResolvedAddress addr = resolve(parseUrl(url, "tcp"), false);
  const int fd = socket(addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw Error(RDK_E_IO, errnoText("socket"));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr.storage), addr.length) != 0 &&
      errno != EINPROGRESS) {
    const std::string msg = errnoText("connect " + url);
    ::close(fd);
    throw Error(RDK_E_IO, msg);
  }
  pollfd p{fd, POLLOUT, 0};
  const int ready = poll(&p, 1, options.connectTimeoutMs);
  int err = 0;
  socklen_t len = sizeof(err);
  if (ready <= 0) {
    ::close(fd);
    throw Error(RDK_E_TIMEOUT, "connect " + url + ": timed out");
  }
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    ::close(fd);
    throw Error(RDK_E_IO, "connect " + url + ": " + std::strerror(err));
  }
  setNoDelay(fd);
  auto conn = std::make_unique<TcpConnection>(
      loop, fd, options,
      formatAddress("tcp", reinterpret_cast<const sockaddr*>(&addr.storage), addr.length));
  {
    std::lock_guard<std::mutex> starting(conn->state()->callbackMutex());
    conn->state()->startLocked(callbacks);
  }
  return conn;
}

}  // namespace rdk::tcp
