// A socket address as a value (no socket I/O here): the peer of a session, a path candidate.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

namespace rdk::udp {

struct PeerAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage); }
  bool operator==(const PeerAddress& o) const {
    if (storage.ss_family != o.storage.ss_family)
      return false;
    if (storage.ss_family == AF_INET) {
      auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
      auto* b = reinterpret_cast<const sockaddr_in*>(&o.storage);
      return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
    }
    if (storage.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
      auto* b = reinterpret_cast<const sockaddr_in6*>(&o.storage);
      return a->sin6_port == b->sin6_port &&
             std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
    }
    return length == o.length && std::memcmp(&storage, &o.storage, length) == 0;
  }
  bool operator!=(const PeerAddress& o) const { return !(*this == o); }
  /// Bytes identifying the address, for cookies.
  std::string key() const {
    std::string k(reinterpret_cast<const char*>(&storage.ss_family), sizeof(storage.ss_family));
    if (storage.ss_family == AF_INET) {
      auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
      k.append(reinterpret_cast<const char*>(&a->sin_port), 2);
      k.append(reinterpret_cast<const char*>(&a->sin_addr), 4);
    } else if (storage.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
      k.append(reinterpret_cast<const char*>(&a->sin6_port), 2);
      k.append(reinterpret_cast<const char*>(&a->sin6_addr), 16);
    }
    return k;
  }
};

}  // namespace rdk::udp
