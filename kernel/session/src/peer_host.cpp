#include "rdk/session/peer_host.h"

#include <arpa/inet.h>

#include <cstring>

namespace rdk::session {

std::string peerHost(const std::string& peer) {
  const size_t scheme = peer.find("://");
  std::string rest = scheme == std::string::npos ? peer : peer.substr(scheme + 3);
  if (!rest.empty() && rest[0] == '[') {
    const size_t close = rest.find(']');
    return close == std::string::npos ? rest.substr(1) : rest.substr(1, close - 1);
  }
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(':') == colon)
    return rest.substr(0, colon);
  return rest;  // a bare IPv6 address or a host without a port
}

std::string addressKey(const std::string& peer) {
  const std::string host = peerHost(peer);
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    static const uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char text[INET6_ADDRSTRLEN] = {0};
    if (std::memcmp(v6.s6_addr, kMappedPrefix, sizeof(kMappedPrefix)) == 0) {
      in_addr v4{};
      std::memcpy(&v4, v6.s6_addr + 12, 4);
      inet_ntop(AF_INET, &v4, text, sizeof(text));
      return text;
    }
    if (IN6_IS_ADDR_LOOPBACK(&v6))
      return "::1";
    std::memset(v6.s6_addr + 8, 0, 8);
    inet_ntop(AF_INET6, &v6, text, sizeof(text));
    return std::string(text) + "/64";
  }
  return host;
}

bool isLoopbackPeer(const std::string& peer) {
  const std::string key = addressKey(peer);
  return key.rfind("127.", 0) == 0 || key == "::1" || key == "localhost";
}

}  // namespace rdk::session
