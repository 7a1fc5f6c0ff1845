// Stateless address-validation cookies (QUIC Retry-like): HMAC-SHA256 over the client's address,
// its connection id and a timestamp, under a secret that lives only in this process. The server
// keeps no state for a client until one comes back.
#pragma once

#include <cstdint>
#include <vector>

#include "peer_address.hpp"

namespace rdk::udp {

class CookieMinter {
 public:
  static constexpr uint64_t kLifetimeUs = 10000000;
  CookieMinter();
  std::vector<uint8_t> mint(const PeerAddress& from, uint64_t connId, uint64_t nowUs) const;
  bool verify(const std::vector<uint8_t>& token, const PeerAddress& from, uint64_t connId,
              uint64_t nowUs) const;

 private:
  std::vector<uint8_t> mac(const PeerAddress& from, uint64_t connId, uint64_t stamp) const;
  uint8_t secret_[32];
};

/// 64 random bits from the OS.
uint64_t randomU64();

}  // namespace rdk::udp
