#include "unix_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "tcp_connection.hpp"
#include "tcp_listener.hpp"

namespace rdk::tcp {

namespace {

sockaddr_un addressOf(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

std::string errnoText(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

// True when something accepts connections at |path| (a live server, not a stale file).
bool answers(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  const sockaddr_un addr = addressOf(path);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

// Unlinks its socket file on destruction, unless another server has replaced it since.
class UnixListener : public Listener {
 public:
  UnixListener(EventLoop& loop, int fd, const std::string& url, const std::string& path,
               const TcpOptions& options, const rdk_listener_callbacks& callbacks)
      : path_(path), inner_(loop, fd, url, options, callbacks) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0)
      inode_ = st.st_ino;
  }
  ~UnixListener() override {
    struct stat st {};
    if (inode_ != 0 && ::stat(path_.c_str(), &st) == 0 && st.st_ino == inode_)
      ::unlink(path_.c_str());
  }
  std::string address() override { return inner_.address(); }

 private:
  const std::string path_;
  ino_t inode_ = 0;
  TcpListener inner_;
};

}  // namespace

std::string parseUnixUrl(const std::string& url) {
  const std::string prefix = "unix://";
  if (url.compare(0, prefix.size(), prefix) != 0)
    throw Error(RDK_E_UNSUPPORTED, "not a unix URL: " + url);
  const std::string path = url.substr(prefix.size());
  if (path.empty() || path[0] != '/')
    throw Error(RDK_E_INVALID_ARG, "a unix URL needs an absolute path (unix:///dir/name): " + url);
  if (path.size() >= sizeof(sockaddr_un::sun_path))
    throw Error(RDK_E_INVALID_ARG, "unix socket path longer than " +
                                       std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                       " bytes: " + path);
  return path;
}

std::unique_ptr<Listener> unixListen(EventLoop& loop, const std::string& url,
                                     const TcpOptions& options,
                                     const rdk_listener_callbacks& callbacks) {
  const std::string path = parseUnixUrl(url);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw Error(RDK_E_IO, errnoText("socket", errno));
  const sockaddr_un addr = addressOf(path);
  int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  if (rc != 0 && errno == EADDRINUSE && !answers(path)) {
    // A file left by a server that died: nobody listens behind it.
    ::unlink(path.c_str());
    rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  }
  if (rc != 0 || ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, options.backlog) != 0) {
    const int error = errno;
    ::close(fd);
    throw Error(RDK_E_IO, error == EADDRINUSE ? "bind " + url + ": a server already listens there"
                                              : errnoText("bind " + url, error));
  }
  return std::make_unique<UnixListener>(loop, fd, "unix://" + path, path, options, callbacks);
}

std::unique_ptr<Connection> unixConnect(EventLoop& loop, const std::string& url,
                                        const TcpOptions& options,
                                        const rdk_connection_callbacks& callbacks) {
  const std::string path = parseUnixUrl(url);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw Error(RDK_E_IO, errnoText("socket", errno));
  // Local: connect either succeeds or fails at once (no handshake to time out).
  const sockaddr_un addr = addressOf(path);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const std::string msg = errnoText("connect " + url, errno);
    ::close(fd);
    throw Error(RDK_E_IO, msg);
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  auto conn = std::make_unique<TcpConnection>(loop, fd, options, "unix://" + path);
  {
    std::lock_guard<std::mutex> starting(conn->state()->callbackMutex());
    conn->state()->startLocked(callbacks);
  }
  return conn;
}

}  // namespace rdk::tcp
