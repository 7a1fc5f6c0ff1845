#include "socket_channel.hpp"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rdk/plugin.hpp"

namespace rdk::udp {

SocketChannel::SocketChannel(const PeerAddress& local) {
  const int family = local.storage.ss_family;
  fd_ = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw Error(RDK_E_IO, std::string("socket: ") + std::strerror(errno));
  const int buf = 4 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
  setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
  int probe = IP_PMTUDISC_PROBE;
  if (family == AF_INET) {
    setsockopt(fd_, IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof(probe));
  } else {
    probe = IPV6_PMTUDISC_PROBE;
    setsockopt(fd_, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &probe, sizeof(probe));
  }
  if (bind(fd_, local.sa(), local.length) != 0) {
    const std::string msg = std::string("bind: ") + std::strerror(errno);
    ::close(fd_);
    throw Error(RDK_E_IO, msg);
  }
  local_.length = sizeof(local_.storage);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&local_.storage), &local_.length);
}

SocketChannel::~SocketChannel() {
  ::close(fd_);
}

SendStatus SocketChannel::sendTo(const PeerAddress& to, const uint8_t* data, size_t size) {
  while (true) {
    if (sendto(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL, to.sa(), to.length) >= 0) {
      return SendStatus::kOk;
    }
    if (errno == EINTR)
      continue;
    if (errno == EMSGSIZE)
      return SendStatus::kTooBig;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
      return SendStatus::kWouldBlock;
    return SendStatus::kError;  // ECONNREFUSED etc.: UDP carries on, the idle timeout decides
  }
}

ssize_t SocketChannel::receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) {
  while (true) {
    from.length = sizeof(from.storage);
    const ssize_t n = recvfrom(fd_, buf, capacity, MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&from.storage), &from.length);
    if (n >= 0)
      return n;
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      return -1;
    // ICMP errors surface here as ECONNREFUSED; skip them and read on.
    if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
      continue;
    return -1;
  }
}

size_t SocketChannel::pathMtu(const PeerAddress& to) {
  // IP_MTU needs a connected socket; a throwaway one asks the kernel's route cache.
  const int family = to.storage.ss_family;
  const int s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return 0;
  size_t result = 0;
  if (connect(s, to.sa(), to.length) == 0) {
    int mtu = 0;
    socklen_t len = sizeof(mtu);
    const int level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
    const int opt = family == AF_INET ? IP_MTU : IPV6_MTU;
    if (getsockopt(s, level, opt, &mtu, &len) == 0 && mtu > 0) {
      const int overhead = family == AF_INET ? 28 : 48;
      result = mtu > overhead ? static_cast<size_t>(mtu - overhead) : 0;
    }
  }
  ::close(s);
  return result;
}

}  // namespace rdk::udp
