// A non-blocking UDP socket as a DatagramChannel. Datagrams leave with DF set and the kernel's
// PMTU cache ignored (IP_PMTUDISC_PROBE), so our own probes find the path MTU and a too-big
// datagram fails fast with EMSGSIZE instead of being fragmented by IP.
#pragma once

#include "datagram_channel.hpp"

namespace rdk::udp {

class SocketChannel : public DatagramChannel {
 public:
  /// Binds |local| (port 0 picks one); throws rdk::Error on failure.
  explicit SocketChannel(const PeerAddress& local);
  ~SocketChannel() override;
  SendStatus sendTo(const PeerAddress& to, const uint8_t* data, size_t size) override;
  ssize_t receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) override;
  int pollFd() const override { return fd_; }
  size_t pathMtu(const PeerAddress& to) override;
  PeerAddress localAddress() const override { return local_; }

 private:
  int fd_ = -1;
  PeerAddress local_;
};

}  // namespace rdk::udp
