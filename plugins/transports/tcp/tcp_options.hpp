// Settings of the TCP transport, from the kernel's options_json.
#pragma once

#include <cstddef>
#include <string>

namespace rdk::tcp {

struct TcpOptions {
  size_t maxQueueBytes = 32u << 20;  // bounded write queue; send() returns AGAIN beyond it
  int connectTimeoutMs = 10000;
  int idleTimeoutS = 0;     // 0 = off (Xpra's ping timeout lives in the kernel)
  int closeFlushMs = 2000;  // how long close() keeps flushing queued data
  // Large enough that a burst of idle connections does not overflow the accept queue: a client
  // whose handshake lands in an overflowing queue waits for a SYN-ACK retransmit (1 s, 3 s...).
  int backlog = 1024;
};

/// Unknown keys are ignored (the kernel passes one config to every transport); a malformed
/// document or a bad value throws rdk::Error(INVALID_ARG).
TcpOptions parseTcpOptions(const std::string& json);

}  // namespace rdk::tcp
