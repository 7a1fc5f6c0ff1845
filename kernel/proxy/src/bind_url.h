// The proxy's bind URLs ("tcp://HOST:PORT", "udp://[::1]:PORT/") split into host and port.
#pragma once

#include <string>

namespace rdk::proxy {

/// |url| as |scheme|://HOST:PORT (a trailing '/' and IPv6 brackets allowed) -> host, port; false
/// when it is not that form.
bool splitBindUrl(const std::string& url, const std::string& scheme, std::string* host,
                  std::string* port);

}  // namespace rdk::proxy
