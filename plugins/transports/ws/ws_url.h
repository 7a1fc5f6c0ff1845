// ws:// and wss:// URLs: scheme://host:port[/path]; IPv6 hosts in brackets.
#pragma once

#include <string>

namespace rdk::ws {

struct WsUrl {
  bool secure = false;
  std::string host;  // without brackets; "0.0.0.0" when empty
  unsigned port = 0;
  std::string path = "/";
};

/// Throws rdk::Error(RDK_E_INVALID_ARG). |needPort|: a listener must name its port (0 picks one);
/// a client defaults to 80 (ws) or 443 (wss).
WsUrl parseWsUrl(const std::string& url, bool needPort);

/// "ws://1.2.3.4:5678", "wss://[::1]:443".
std::string formatWsUrl(bool secure, const std::string& hostAndPort);

}  // namespace rdk::ws
