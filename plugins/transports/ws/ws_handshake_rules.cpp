#include "ws_handshake_rules.h"

#include <Poco/String.h>

namespace rdk::ws {

std::string originAuthority(const std::string& origin) {
  const size_t scheme = origin.find("://");
  if (scheme == std::string::npos)
    return {};
  std::string authority = Poco::toLower(origin.substr(scheme + 3));
  const std::string prefix = Poco::toLower(origin.substr(0, scheme));
  authority = authority.substr(0, authority.find('/'));
  if ((prefix == "http" && authority.size() > 3 &&
       authority.compare(authority.size() - 3, 3, ":80") == 0) ||
      (prefix == "https" && authority.size() > 4 &&
       authority.compare(authority.size() - 4, 4, ":443") == 0))
    authority = authority.substr(0, authority.rfind(':'));
  return authority;
}

std::string hostAuthority(const std::string& host, bool secure) {
  std::string authority = Poco::toLower(host);
  const std::string port = secure ? ":443" : ":80";
  if (authority.size() > port.size() &&
      authority.compare(authority.size() - port.size(), port.size(), port) == 0)
    authority = authority.substr(0, authority.size() - port.size());
  return authority;
}

bool sameOrigin(const std::string& origin, const std::string& host, bool secure) {
  return origin.empty() || origin == "null" ||
         originAuthority(origin) == hostAuthority(host, secure);
}

bool offersBinary(const std::string& protocols) {
  size_t start = 0;
  while (start <= protocols.size()) {
    const size_t comma = protocols.find(',', start);
    const std::string item = Poco::trim(
        protocols.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (item == "binary")
      return true;
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return false;
}

}  // namespace rdk::ws
