// A non-blocking UDP socket as a DatagramChannel. Datagrams leave with DF set and the kernel's
// PMTU cache ignored (IP_PMTUDISC_PROBE), so our own probes find the path MTU and a too-big
// datagram fails fast with EMSGSIZE instead of being fragmented by IP.
//
// Batched I/O (issue 15): a batch of datagrams leaves in one sendmmsg() call, and runs of equal
// sized datagrams to one peer as one UDP GSO buffer (UDP_SEGMENT: the kernel cuts it, once, below
// the socket layer); the receiver takes up to 16 datagrams per recvmmsg() and accepts coalesced
// UDP GRO buffers (UDP_GRO), handing their segments out one by one. Each is used only when the
// kernel offers it, and falls back at run time: ENOSYS turns the mmsg calls off, a GSO send the
// kernel refuses with EIO (no checksum offload on the route) turns GSO off, and any failed GSO
// run is resent one datagram at a time so EMSGSIZE lands on the right datagram.
#pragma once

#include <vector>

#include "datagram_channel.hpp"

namespace rdk::udp {

struct BatchIoConfig {
  bool mmsg = true;  // sendmmsg / recvmmsg
  bool gso = true;   // UDP_SEGMENT on send, when the kernel has it
  bool gro = true;   // UDP_GRO on receive, when the kernel has it
};

class SocketChannel : public DatagramChannel {
 public:
  /// Binds |local| (port 0 picks one); throws rdk::Error on failure.
  explicit SocketChannel(const PeerAddress& local, const BatchIoConfig& io = {});
  ~SocketChannel() override;
  SendStatus sendTo(const PeerAddress& to, const uint8_t* data, size_t size) override;
  ssize_t receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) override;
  void sendBatch(const OutgoingDatagram* d, size_t n, SendStatus* status) override;
  size_t receiveBatch(size_t max, const DatagramSink& sink) override;
  int pollFd() const override { return fd_; }
  size_t pathMtu(const PeerAddress& to) override;
  PeerAddress localAddress() const override { return local_; }

  /// What is in use now (a fallback may have turned a part off).
  BatchIoConfig active() const { return {mmsg_, gso_, gro_}; }
  /// System calls made to send and to receive (tests and benchmarks).
  uint64_t sendCalls() const { return sendCalls_; }
  uint64_t receiveCalls() const { return receiveCalls_; }

 private:
  static constexpr size_t kSlots = 16;           // datagrams per recvmmsg
  static constexpr size_t kSlotBytes = 65536;    // a whole GRO buffer or the largest datagram
  static constexpr size_t kMaxGsoBytes = 65000;  // below the 64 KiB IP/UDP limit with headers
  static constexpr size_t kMaxGsoSegments = 64;  // the kernel's UDP_MAX_SEGMENTS

  /// Datagrams [begin, end) one at a time (fallback, and a failed GSO run for its statuses).
  void sendEach(const OutgoingDatagram* d, size_t begin, size_t end, SendStatus* status);
  /// recvmsg() of one datagram or GRO buffer into |buf|; its segment size in |segment|.
  ssize_t receiveOne(uint8_t* buf, size_t capacity, PeerAddress& from, size_t& segment);

  int fd_ = -1;
  PeerAddress local_;
  bool mmsg_ = false, gso_ = false, gro_ = false;
  uint64_t sendCalls_ = 0, receiveCalls_ = 0;
  std::vector<uint8_t> slots_;  // recvmmsg buffers, allocated on first use
  // The rest of a GRO buffer that receiveFrom() is handing out a segment at a time.
  std::vector<uint8_t> pending_;
  size_t pendingOffset_ = 0, pendingSegment_ = 0;
  PeerAddress pendingFrom_;
};

}  // namespace rdk::udp
