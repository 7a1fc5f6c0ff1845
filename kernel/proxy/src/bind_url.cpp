#include "bind_url.h"

namespace rdk::proxy {

bool splitBindUrl(const std::string& url, const std::string& scheme, std::string* host,
                  std::string* port) {
  const std::string prefix = scheme + "://";
  if (url.compare(0, prefix.size(), prefix) != 0)
    return false;
  std::string rest = url.substr(prefix.size());
  if (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  *host = rest.substr(0, colon);
  *port = rest.substr(colon + 1);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']')
    *host = host->substr(1, host->size() - 2);
  return !port->empty();
}

}  // namespace rdk::proxy
