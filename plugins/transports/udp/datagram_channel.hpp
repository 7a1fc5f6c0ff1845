// The datagram I/O seam: the UDP socket today, a DTLS channel wrapping it later. The endpoint only
// talks to this interface, so the reliability core runs unchanged over either.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "peer_address.hpp"

namespace rdk::udp {

enum class SendStatus { kOk, kTooBig, kWouldBlock, kError };

class DatagramChannel {
 public:
  virtual ~DatagramChannel() = default;
  virtual SendStatus sendTo(const PeerAddress& to, const uint8_t* data, size_t size) = 0;
  /// One datagram into |buf|; -1 when none is waiting.
  virtual ssize_t receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) = 0;
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
