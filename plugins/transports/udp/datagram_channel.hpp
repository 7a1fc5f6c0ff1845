// The datagram I/O seam: the UDP socket today, a DTLS channel wrapping it later. The endpoint only
// talks to this interface, so the reliability core runs unchanged over either.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "peer_address.hpp"

namespace rdk::udp {

enum class SendStatus { kOk, kTooBig, kWouldBlock, kError };

struct OutgoingDatagram {
  const PeerAddress* to = nullptr;
  const uint8_t* data = nullptr;
  size_t size = 0;
};

/// Receives one datagram of a batch (the bytes are valid during the call only).
using DatagramSink = std::function<void(const uint8_t* data, size_t size, const PeerAddress& from)>;

class DatagramChannel {
 public:
  virtual ~DatagramChannel() = default;
  virtual SendStatus sendTo(const PeerAddress& to, const uint8_t* data, size_t size) = 0;
  /// One datagram into |buf|; -1 when none is waiting.
  virtual ssize_t receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) = 0;
  /// |n| datagrams in order, each one's outcome in |status| (the socket batches them into few
  /// system calls; this default sends one by one).
  virtual void sendBatch(const OutgoingDatagram* d, size_t n, SendStatus* status) {
    for (size_t i = 0; i < n; ++i)
      status[i] = sendTo(*d[i].to, d[i].data, d[i].size);
  }
  /// Hands up to about |max| waiting datagrams to |sink|; returns how many (0: none waiting).
  virtual size_t receiveBatch(size_t max, const DatagramSink& sink) {
    thread_local std::vector<uint8_t> buffer(65536);
    size_t count = 0;
    PeerAddress from;
    for (; count < max; ++count) {
      const ssize_t got = receiveFrom(buffer.data(), buffer.size(), from);
      if (got < 0)
        break;
      sink(buffer.data(), static_cast<size_t>(got), from);
    }
    return count;
  }
  /// The descriptor to wait on for readability.
  virtual int pollFd() const = 0;
  /// The kernel's path MTU towards |to| as a datagram payload size, 0 when unknown.
  virtual size_t pathMtu(const PeerAddress& to) = 0;
  virtual PeerAddress localAddress() const = 0;
  /// Timers of the channel itself (delayed datagrams, DTLS handshake retransmission); returns
  /// when it wants to be called again (UINT64_MAX: only when datagrams arrive).
  virtual uint64_t service(uint64_t /*nowUs*/) { return UINT64_MAX; }
};

}  // namespace rdk::udp
