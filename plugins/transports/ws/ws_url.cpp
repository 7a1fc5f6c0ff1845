#include "ws_url.h"

#include "rdk/plugin.hpp"

namespace rdk::ws {

WsUrl parseWsUrl(const std::string& url, bool needPort) {
  WsUrl out;
  std::string rest;
  if (url.rfind("ws://", 0) == 0) {
    rest = url.substr(5);
  } else if (url.rfind("wss://", 0) == 0) {
    out.secure = true;
    rest = url.substr(6);
  } else {
    throw Error(RDK_E_INVALID_ARG, "not a ws:// or wss:// URL: " + url);
  }
  const size_t pathPos = rest.find_first_of("/?");
  if (pathPos != std::string::npos) {
    out.path = rest.substr(pathPos);
    if (out.path[0] != '/')
      out.path = "/" + out.path;
    rest = rest.substr(0, pathPos);
  }
  std::string port;
  if (!rest.empty() && rest[0] == '[') {
    const size_t close = rest.find(']');
    if (close == std::string::npos)
      throw Error(RDK_E_INVALID_ARG, "bad IPv6 address in " + url);
    out.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':')
        throw Error(RDK_E_INVALID_ARG, "bad address in " + url);
      port = rest.substr(close + 2);
    }
  } else {
    const size_t colon = rest.rfind(':');
    out.host = colon == std::string::npos ? rest : rest.substr(0, colon);
    if (colon != std::string::npos)
      port = rest.substr(colon + 1);
  }
  if (port.empty()) {
    if (needPort)
      throw Error(RDK_E_INVALID_ARG, "missing port in " + url);
    out.port = out.secure ? 443 : 80;
  } else {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(port) > 65535)
      throw Error(RDK_E_INVALID_ARG, "bad port in " + url);
    out.port = static_cast<unsigned>(std::stoul(port));
  }
  if (out.host.empty())
    out.host = "0.0.0.0";
  return out;
}

std::string formatWsUrl(bool secure, const std::string& hostAndPort) {
  return (secure ? "wss://" : "ws://") + hostAndPort;
}

}  // namespace rdk::ws
