#include "socket_address.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstring>

#include "rdk/plugin.hpp"

namespace rdk::tcp {

HostPort parseUrl(const std::string& url, const std::string& scheme) {
  const std::string prefix = scheme + "://";
  if (url.compare(0, prefix.size(), prefix) != 0) {
    throw Error(RDK_E_UNSUPPORTED, "not a " + scheme + " URL: " + url);
  }
  std::string rest = url.substr(prefix.size());
  const auto slash = rest.find_first_of("/?");
  if (slash != std::string::npos)
    rest.resize(slash);
  HostPort hp;
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "bad IPv6 host in " + url);
    hp.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':')
      hp.port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "no port in " + url);
    hp.host = rest.substr(0, colon);
    hp.port = rest.substr(colon + 1);
  }
  if (hp.port.empty() || hp.port.find_first_not_of("0123456789") != std::string::npos ||
      hp.port.size() > 5 || std::stoul(hp.port) > 65535) {
    throw Error(RDK_E_INVALID_ARG, "bad port in " + url);
  }
  if (hp.host.empty())
    hp.host = "0.0.0.0";
  return hp;
}

ResolvedAddress resolve(const HostPort& hp, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  hints.ai_flags |= AI_NUMERICSERV;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(hp.host.c_str(), hp.port.c_str(), &hints, &result);
  if (rc != 0 || !result) {
    throw Error(RDK_E_INVALID_ARG, "cannot resolve " + hp.host + ": " + gai_strerror(rc));
  }
  ResolvedAddress out;
  std::memcpy(&out.storage, result->ai_addr, result->ai_addrlen);
  out.length = result->ai_addrlen;
  out.family = result->ai_family;
  freeaddrinfo(result);
  return out;
}

std::string formatAddress(const std::string& scheme, const sockaddr* sa, socklen_t len) {
  char host[NI_MAXHOST] = {0};
  char port[NI_MAXSERV] = {0};
  if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port),
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return scheme + "://?";
  }
  if (sa->sa_family == AF_INET6)
    return scheme + "://[" + host + "]:" + port;
  return scheme + "://" + host + ":" + port;
}

}  // namespace rdk::tcp
