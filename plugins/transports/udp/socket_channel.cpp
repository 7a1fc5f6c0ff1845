#include "socket_channel.hpp"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "rdk/plugin.hpp"

namespace rdk::udp {

namespace {
SendStatus statusOf(int err) {
  if (err == EMSGSIZE)
    return SendStatus::kTooBig;
  if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS)
    return SendStatus::kWouldBlock;
  return SendStatus::kError;  // ECONNREFUSED etc.: UDP carries on, the idle timeout decides
}

bool icmpError(int err) {
  // ICMP errors of earlier datagrams surface on the next receive: skip them and read on.
  return err == ECONNREFUSED || err == EHOSTUNREACH || err == ENETUNREACH;
}

/// The GRO segment size of a received message, or 0.
size_t groSegment(msghdr& m) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
      int size = 0;
      std::memcpy(&size, CMSG_DATA(c), sizeof(size));
      return size > 0 ? static_cast<size_t>(size) : 0;
    }
  }
  return 0;
}

constexpr size_t kControlBytes = CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint16_t));
}  // namespace

SocketChannel::SocketChannel(const PeerAddress& local, const BatchIoConfig& io) {
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
  mmsg_ = io.mmsg;
  if (io.gso) {
    // The option exists from Linux 4.18; reading it says whether this kernel has it.
    int v = 0;
    socklen_t len = sizeof(v);
    gso_ = getsockopt(fd_, SOL_UDP, UDP_SEGMENT, &v, &len) == 0;
  }
  if (io.gro) {
    const int one = 1;
    gro_ = setsockopt(fd_, SOL_UDP, UDP_GRO, &one, sizeof(one)) == 0;
  }
}

SocketChannel::~SocketChannel() {
  ::close(fd_);
}

SendStatus SocketChannel::sendTo(const PeerAddress& to, const uint8_t* data, size_t size) {
  while (true) {
    ++sendCalls_;
    if (sendto(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL, to.sa(), to.length) >= 0)
      return SendStatus::kOk;
    if (errno != EINTR)
      return statusOf(errno);
  }
}

void SocketChannel::sendEach(const OutgoingDatagram* d, size_t begin, size_t end,
                             SendStatus* status) {
  for (size_t i = begin; i < end; ++i)
    status[i] = sendTo(*d[i].to, d[i].data, d[i].size);
}

void SocketChannel::sendBatch(const OutgoingDatagram* d, size_t n, SendStatus* status) {
  if (!mmsg_) {
    sendEach(d, 0, n, status);
    return;
  }
  struct Run {
    size_t first, count, segment;
  };
  std::vector<Run> runs;
  std::vector<iovec> iov(n);
  for (size_t i = 0; i < n;) {
    // A GSO run: datagrams to one peer, all of the first one's size but a shorter last one.
    size_t count = 1, bytes = d[i].size;
    while (gso_ && i + count < n && count < kMaxGsoSegments && *d[i + count].to == *d[i].to &&
           d[i + count].size <= d[i].size && d[i + count].size > 0 &&
           d[i + count - 1].size == d[i].size && bytes + d[i + count].size <= kMaxGsoBytes) {
      bytes += d[i + count].size;
      ++count;
    }
    runs.push_back({i, count, d[i].size});
    i += count;
  }
  std::vector<mmsghdr> msgs(runs.size());
  std::vector<uint8_t> control(runs.size() * kControlBytes);
  for (size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    for (size_t j = 0; j < run.count; ++j)
      iov[run.first + j] = {const_cast<uint8_t*>(d[run.first + j].data), d[run.first + j].size};
    msghdr& m = msgs[r].msg_hdr;
    m = {};
    m.msg_name = const_cast<sockaddr*>(d[run.first].to->sa());
    m.msg_namelen = d[run.first].to->length;
    m.msg_iov = &iov[run.first];
    m.msg_iovlen = run.count;
    if (run.count > 1) {
      m.msg_control = &control[r * kControlBytes];
      m.msg_controllen = CMSG_SPACE(sizeof(uint16_t));
      cmsghdr* c = CMSG_FIRSTHDR(&m);
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_SEGMENT;
      c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
      const auto segment = static_cast<uint16_t>(run.segment);
      std::memcpy(CMSG_DATA(c), &segment, sizeof(segment));
    }
  }
  for (size_t next = 0; next < runs.size();) {
    ++sendCalls_;
    const int sent = sendmmsg(fd_, &msgs[next], static_cast<unsigned>(runs.size() - next),
                              MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      for (int r = 0; r < sent; ++r)
        std::fill_n(status + runs[next + r].first, runs[next + r].count, SendStatus::kOk);
      next += static_cast<size_t>(sent);
      continue;
    }
    const int err = sent < 0 ? errno : EAGAIN;
    if (err == EINTR)
      continue;
    if (err == ENOSYS) {
      mmsg_ = false;  // no sendmmsg in this kernel (or seccomp): one datagram per call
      sendEach(d, runs[next].first, n, status);
      return;
    }
    // The first message failed: a GSO run is resent one by one, so the error lands on the right
    // datagram (a segment above the path MTU is EINVAL for GSO, EMSGSIZE alone); EIO means this
    // route cannot segment (no checksum offload): GSO off from now on.
    const Run& run = runs[next];
    if (run.count > 1) {
      if (err == EIO)
        gso_ = false;
      sendEach(d, run.first, run.first + run.count, status);
    } else {
      status[run.first] = statusOf(err);
    }
    ++next;
  }
}

ssize_t SocketChannel::receiveOne(uint8_t* buf, size_t capacity, PeerAddress& from,
                                  size_t& segment) {
  alignas(cmsghdr) uint8_t control[kControlBytes];
  while (true) {
    iovec iov{buf, capacity};
    msghdr m{};
    from.length = sizeof(from.storage);
    m.msg_name = &from.storage;
    m.msg_namelen = from.length;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof(control);
    ++receiveCalls_;
    const ssize_t n = recvmsg(fd_, &m, MSG_DONTWAIT);
    if (n >= 0) {
      from.length = m.msg_namelen;
      if (m.msg_flags & MSG_TRUNC)
        continue;  // larger than any datagram we take: dropped
      segment = groSegment(m);
      return n;
    }
    if (errno == EINTR || icmpError(errno))
      continue;
    return -1;
  }
}

ssize_t SocketChannel::receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) {
  if (pendingOffset_ < pending_.size()) {
    const size_t n = std::min({pendingSegment_, pending_.size() - pendingOffset_, capacity});
    std::memcpy(buf, pending_.data() + pendingOffset_, n);
    pendingOffset_ += pendingSegment_;
    from = pendingFrom_;
    return static_cast<ssize_t>(n);
  }
  size_t segment = 0;
  const ssize_t n = receiveOne(buf, capacity, from, segment);
  if (n < 0 || segment == 0 || static_cast<size_t>(n) <= segment)
    return n;
  // A GRO buffer: the first segment now, the others on the next calls.
  pending_.assign(buf + segment, buf + n);
  pendingOffset_ = 0;
  pendingSegment_ = segment;
  pendingFrom_ = from;
  return static_cast<ssize_t>(segment);
}

size_t SocketChannel::receiveBatch(size_t max, const DatagramSink& sink) {
  if (!mmsg_)
    return DatagramChannel::receiveBatch(max, sink);
  size_t count = 0;
  // What receiveFrom() left of a GRO buffer goes first, in order.
  for (; pendingOffset_ < pending_.size(); pendingOffset_ += pendingSegment_, ++count) {
    sink(pending_.data() + pendingOffset_,
         std::min(pendingSegment_, pending_.size() - pendingOffset_), pendingFrom_);
  }
  if (slots_.empty())
    slots_.resize(kSlots * kSlotBytes);
  mmsghdr msgs[kSlots];
  iovec iov[kSlots];
  PeerAddress from[kSlots];
  alignas(cmsghdr) uint8_t control[kSlots][kControlBytes];
  while (count < max) {
    for (size_t i = 0; i < kSlots; ++i) {
      iov[i] = {slots_.data() + i * kSlotBytes, kSlotBytes};
      msghdr& m = msgs[i].msg_hdr;
      m = {};
      m.msg_name = &from[i].storage;
      m.msg_namelen = sizeof(from[i].storage);
      m.msg_iov = &iov[i];
      m.msg_iovlen = 1;
      m.msg_control = control[i];
      m.msg_controllen = kControlBytes;
    }
    ++receiveCalls_;
    const int got = recvmmsg(fd_, msgs, kSlots, MSG_DONTWAIT, nullptr);
    if (got < 0) {
      if (errno == EINTR || icmpError(errno))
        continue;
      if (errno == ENOSYS) {
        mmsg_ = false;
        return count + DatagramChannel::receiveBatch(max - count, sink);
      }
      break;  // EAGAIN: nothing more waiting
    }
    for (int i = 0; i < got; ++i) {
      msghdr& m = msgs[i].msg_hdr;
      if (m.msg_flags & MSG_TRUNC)
        continue;
      from[i].length = m.msg_namelen;
      const size_t len = msgs[i].msg_len;
      const size_t segment = groSegment(m);
      const uint8_t* base = slots_.data() + i * kSlotBytes;
      const size_t step = segment ? segment : std::max<size_t>(len, 1);
      // A GRO buffer is its segments back to back, the last one possibly shorter.
      for (size_t off = 0; off < len || (len == 0 && off == 0); off += step, ++count)
        sink(base + off, std::min(step, len - off), from[i]);
    }
    if (static_cast<size_t>(got) < kSlots)
      break;
  }
  return count;
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
