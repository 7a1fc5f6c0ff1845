// URL and socket-address helpers for tcp://host:port.
#pragma once

#include <sys/socket.h>

#include <string>

namespace rdk::tcp {

struct HostPort {
  std::string host;  // without IPv6 brackets
  std::string port;
};

/// Parses "scheme://host:port[/...]" (host may be "[v6]"); throws rdk::Error(INVALID_ARG).
HostPort parseUrl(const std::string& url, const std::string& scheme);

struct ResolvedAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
};

/// Resolves numerically or by name (first result); throws rdk::Error(INVALID_ARG or IO).
ResolvedAddress resolve(const HostPort& hp, bool passive);

/// "scheme://1.2.3.4:5678" or "scheme://[::1]:5678".
std::string formatAddress(const std::string& scheme, const sockaddr* sa, socklen_t len);

}  // namespace rdk::tcp
