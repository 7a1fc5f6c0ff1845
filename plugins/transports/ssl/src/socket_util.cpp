#include "socket_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "rdk/plugin.hpp"

namespace rdk::ssl {

HostPort parseUrl(const std::string& url) {
  const std::string prefix = "ssl://";
  if (url.compare(0, prefix.size(), prefix) != 0) {
    throw Error(RDK_E_INVALID_ARG, "not an ssl:// URL: " + url);
  }
  std::string rest = url.substr(prefix.size());
  rest = rest.substr(0, rest.find_first_of("/?"));
  HostPort hp;
  size_t colon = 0;
  if (!rest.empty() && rest[0] == '[') {
    const size_t close = rest.find(']');
    if (close == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "bad IPv6 address in " + url);
    hp.host = rest.substr(1, close - 1);
    colon = close + 1;
    if (colon >= rest.size() || rest[colon] != ':') {
      throw Error(RDK_E_INVALID_ARG, "missing port in " + url);
    }
  } else {
    colon = rest.rfind(':');
    if (colon == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "missing port in " + url);
    hp.host = rest.substr(0, colon);
  }
  hp.port = rest.substr(colon + 1);
  if (hp.port.empty() || hp.port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(hp.port.substr(0, 6)) > 65535) {
    throw Error(RDK_E_INVALID_ARG, "bad port in " + url);
  }
  if (hp.host.empty())
    hp.host = "0.0.0.0";
  return hp;
}

SocketAddress resolve(const HostPort& hp, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(hp.host.c_str(), hp.port.c_str(), &hints, &result);
  if (rc != 0 || result == nullptr) {
    throw Error(RDK_E_INVALID_ARG, "cannot resolve " + hp.host + ": " + gai_strerror(rc));
  }
  SocketAddress address;
  std::memcpy(&address.storage, result->ai_addr, result->ai_addrlen);
  address.length = result->ai_addrlen;
  freeaddrinfo(result);
  return address;
}

std::string formatAddress(const sockaddr* sa, socklen_t) {
  char host[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    return "ssl://[" + std::string(host) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  const auto* in4 = reinterpret_cast<const sockaddr_in*>(sa);
  inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
  return "ssl://" + std::string(host) + ":" + std::to_string(ntohs(in4->sin_port));
}

void setNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    throw Error(RDK_E_IO, std::string("fcntl(O_NONBLOCK): ") + std::strerror(errno));
  }
}

int connectWithTimeout(const SocketAddress& address, std::chrono::milliseconds timeout) {
  const int fd = socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    throw Error(RDK_E_IO, std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0 &&
      errno != EINPROGRESS) {
    const int err = errno;
    ::close(fd);
    throw Error(RDK_E_IO, std::string("connect: ") + std::strerror(err));
  }
  pollfd p{fd, POLLOUT, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready == 0) {
    ::close(fd);
    throw Error(RDK_E_TIMEOUT, "connect timed out");
  }
  int err = 0;
  socklen_t len = sizeof(err);
  if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
    ::close(fd);
    throw Error(RDK_E_IO, std::string("connect: ") + std::strerror(err ? err : errno));
  }
  return fd;
}

bool isIpAddress(const std::string& host) {
  in6_addr buf{};
  return inet_pton(AF_INET, host.c_str(), &buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

WakeFd::WakeFd() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0)
    throw Error(RDK_E_IO, std::string("eventfd: ") + std::strerror(errno));
}
WakeFd::~WakeFd() {
  ::close(fd_);
}
void WakeFd::signal() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof(one));  // EAGAIN: already signalled
}
void WakeFd::drain() {
  uint64_t value = 0;
  [[maybe_unused]] ssize_t n = ::read(fd_, &value, sizeof(value));
}

ScopedSigpipeBlock::ScopedSigpipeBlock() {
  sigset_t pipeOnly;
  sigemptyset(&pipeOnly);
  sigaddset(&pipeOnly, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeOnly, &old_);
}

ScopedSigpipeBlock::~ScopedSigpipeBlock() {
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
    sigset_t pipeOnly;
    sigemptyset(&pipeOnly);
    sigaddset(&pipeOnly, SIGPIPE);
    const timespec zero{0, 0};
    sigtimedwait(&pipeOnly, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

}  // namespace rdk::ssl
