#include "socket_io.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "channel.h"
#include "rdk/base/clock.h"
#include "rdk/proxy/packet_splitter.h"

namespace rdk::proxy::io {

int connectTcp(const std::string& host, int port, int timeoutMs, std::string* error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list)) {
    *error = "cannot resolve " + host + ": " + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = list; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
      continue;
    bool ok = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    if (!ok && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      ok = poll(&p, 1, timeoutMs) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
           err == 0;
    }
    if (!ok) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(list);
  if (fd < 0) {
    *error = "cannot connect to " + host + ":" + std::to_string(port);
    return -1;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool writeAll(int fd, std::string_view data, int timeoutMs) {
  while (!data.empty()) {
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, timeoutMs) != 1)
      return false;
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n <= 0)
      return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

PacketStream::PacketStream(Channel& channel, size_t maxPacketBytes)
    : channel_(channel), maxPacketBytes_(maxPacketBytes) {
  reader_.setMaxPacketSize(maxPacketBytes);
  reader_.setMaxDecompressedSize(maxPacketBytes);
}

bool PacketStream::read(uint64_t deadlineUs, protocol::Packet* packet, std::string* raw,
                        std::string* error) {
  for (;;) {
    size_t length = 0;
    try {
      length = firstPacketLength(buffer_, maxPacketBytes_);
    } catch (const std::exception& e) {
      *error = e.what();
      return false;
    }
    if (length > 0) {
      raw->assign(buffer_, 0, length);
      buffer_.erase(0, length);
      bool got = false;
      const auto failure = reader_.feed(*raw, [&](protocol::Packet&& p) {
        *packet = std::move(p);
        got = true;
      });
      if (failure || !got) {
        *error = failure ? failure->message : "no packet decoded";
        return false;
      }
      return true;
    }
    if (monotonicUs() >= deadlineUs) {
      *error = "timed out";
      return false;
    }
    char chunk[16384];
    const long n = channel_.read(chunk, sizeof chunk, deadlineUs, error);
    if (n <= 0) {
      if (n == 0)
        *error = "connection closed";
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

uint64_t pump(int from, int to, const std::function<void(size_t)>& onBytes) {
  int pipeFds[2];
  uint64_t total = 0;
  if (pipe2(pipeFds, O_CLOEXEC) != 0)
    return 0;
  for (;;) {
    const ssize_t in = splice(from, nullptr, pipeFds[1], nullptr, 1 << 16, SPLICE_F_MOVE);
    if (in < 0 && errno == EINTR)
      continue;
    if (in <= 0)
      break;
    ssize_t left = in;
    while (left > 0) {
      const ssize_t out =
          splice(pipeFds[0], nullptr, to, nullptr, static_cast<size_t>(left), SPLICE_F_MOVE);
      if (out < 0 && errno == EINTR)
        continue;
      if (out <= 0) {
        left = -1;
        break;
      }
      left -= out;
    }
    if (left < 0)
      break;
    total += static_cast<uint64_t>(in);
    onBytes(static_cast<size_t>(in));
  }
  close(pipeFds[0]);
  close(pipeFds[1]);
  return total;
}

}  // namespace rdk::proxy::io
