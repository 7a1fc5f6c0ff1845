// The proxy's blocking socket helpers: one thread per connection, so reads wait with poll()
// deadlines and the forwarding is splice(2) through a pipe (the bytes never enter user space).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "rdk/protocol/record_reader.h"
#include "rdk/protocol/value.h"

namespace rdk::proxy::io {

/// A connected TCP socket to host:port (IPv4 or IPv6 literal, or a name), -1 with |error|.
int connectTcp(const std::string& host, int port, int timeoutMs, std::string* error);
bool writeAll(int fd, std::string_view data, int timeoutMs);

class Channel;

/// Reads whole packets from a channel during the handshake, keeping the bytes that follow.
class PacketStream {
 public:
  PacketStream(Channel& channel, size_t maxPacketBytes);
  /// The next packet, its exact bytes in |raw|; false with |error| on timeout, EOF or garbage.
  bool read(uint64_t deadlineUs, protocol::Packet* packet, std::string* raw, std::string* error);
  /// Bytes read past the last packet (to forward before splicing).
  std::string takeBuffered() { return std::exchange(buffer_, {}); }
  protocol::PacketEncoding peerEncoding() const { return reader_.peerEncoding(); }

 private:
  Channel& channel_;
  size_t maxPacketBytes_;
  std::string buffer_;
  protocol::RecordReader reader_;
};

/// Moves bytes from |from| to |to| until EOF or an error on either; |onBytes| after each move.
/// Returns the bytes moved.
uint64_t pump(int from, int to, const std::function<void(size_t)>& onBytes);

}  // namespace rdk::proxy::io
