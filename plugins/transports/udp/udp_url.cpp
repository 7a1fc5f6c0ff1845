#include "udp_url.hpp"

#include <netdb.h>

#include <cstring>

#include "rdk/plugin.hpp"

namespace rdk::udp {

PeerAddress resolveUrl(const std::string& url, const std::string& scheme, bool passive) {
  const std::string prefix = scheme + "://";
  if (url.compare(0, prefix.size(), prefix) != 0) {
    throw Error(RDK_E_UNSUPPORTED, "not a " + scheme + " URL: " + url);
  }
  std::string rest = url.substr(prefix.size());
  const auto slash = rest.find_first_of("/?");
  if (slash != std::string::npos)
    rest.resize(slash);
  std::string host, port;
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "bad IPv6 host in " + url);
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':')
      port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "no port in " + url);
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    throw Error(RDK_E_INVALID_ARG, "bad port in " + url);
  }
  if (host.empty())
    host = "0.0.0.0";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0 || !res)
    throw Error(RDK_E_INVALID_ARG, "cannot resolve " + host + ": " + gai_strerror(rc));
  PeerAddress a;
  std::memcpy(&a.storage, res->ai_addr, res->ai_addrlen);
  a.length = res->ai_addrlen;
  freeaddrinfo(res);
  return a;
}

std::string formatPeer(const std::string& scheme, const PeerAddress& a) {
  char host[NI_MAXHOST] = {0};
  char port[NI_MAXSERV] = {0};
  if (getnameinfo(a.sa(), a.length, host, sizeof(host), port, sizeof(port),
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return scheme + "://?";
  }
  if (a.storage.ss_family == AF_INET6)
    return scheme + "://[" + host + "]:" + port;
  return scheme + "://" + host + ":" + port;
}

PeerAddress anyAddress(int family) {
  PeerAddress a;
  a.storage.ss_family = static_cast<sa_family_t>(family);
  a.length = family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  return a;
}

}  // namespace rdk::udp
