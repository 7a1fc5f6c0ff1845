#include "ws_options.h"

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::ws {
namespace {

bool toBool(const std::string& key, const json::Value& value) {
  if (value.isBool())
    return value.asBool();
  const std::string text = value.asText();
  if (text == "1" || text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "0" || text == "false" || text == "no" || text == "off")
    return false;
  throw Error(RDK_E_INVALID_ARG, "ws option '" + key + "' must be a boolean, not '" + text + "'");
}

long long toCount(const std::string& key, const json::Value& value, long long min, long long max) {
  long long n = 0;
  try {
    const double d = value.asNumber();
    if (!(d > -9.2e18 && d < 9.2e18))
      throw json::TypeError("out of range");
    n = static_cast<long long>(d);
  } catch (const json::TypeError&) {
    throw Error(RDK_E_INVALID_ARG, "ws option '" + key + "' must be a number");
  }
  if (n < min || n > max)
    throw Error(RDK_E_INVALID_ARG, "ws option '" + key + "' must be within " + std::to_string(min) +
                                       ".." + std::to_string(max));
  return n;
}

std::vector<std::string> toList(const json::Value& value) {
  std::vector<std::string> out;
  auto add = [&out](std::string item) {
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    if (first != std::string::npos)
      out.push_back(item.substr(first, last - first + 1));
  };
  if (value.isArray()) {
    for (const auto& item : value.asArray())
      add(item.asText());
    return out;
  }
  const std::string text = value.asText();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    add(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

// The ssl plugin's transport.tls.* settings that mean the same for wss://, and their options.
const std::pair<const char*, const char*> kTlsSettings[] = {
    {"transport.tls.server-name", "server_name"},
    {"transport.tls.check-hostname", "check_hostname"},
    {"transport.tls.connect-timeout-ms", "connect_timeout_ms"},
    {"transport.tls.handshake-timeout-ms", "request_timeout_ms"},
    {"transport.tls.max-queue-bytes", "max_queue_bytes"},
};

}  // namespace

WsOptions parseWsOptions(const std::string& json, bool secure, const ConfigLookup& config) {
  if (!secure)
    return parseWsOptions(json);
  rdk::json::Value object = rdk::json::Value::object();
  try {
    if (json.find_first_not_of(" \t\r\n") != std::string::npos)
      object = rdk::json::Value::parse(json);
  } catch (const rdk::json::ParseError&) {
    return parseWsOptions(json);  // says what is wrong with it
  }
  if (!object.isObject())
    return parseWsOptions(json);
  for (const auto& [key, option] : kTlsSettings) {
    if (object.has(option))
      continue;  // what the kernel passed wins
    const std::optional<std::string> value = config(key);
    if (value && !value->empty())
      object.set(option, *value);  // text: toBool and toCount read "true", "5000"
  }
  return parseWsOptions(object.dump());
}

WsOptions parseWsOptions(const std::string& json) {
  WsOptions options;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return options;
  rdk::json::Value object;
  try {
    object = rdk::json::Value::parse(json);
  } catch (const rdk::json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("ws options are not a JSON object: ") + e.what());
  }
  if (!object.isObject())
    throw Error(RDK_E_INVALID_ARG, "ws options are not a JSON object");
  constexpr long long kMaxMs = 3600000;
  for (const auto& [key, value] : object.asObject()) {
    if (key == "cert")
      options.cert = value.asText();
    else if (key == "key")
      options.key = value.asText();
    else if (key == "ca")
      options.ca = value.asText();
    else if (key == "verify")
      options.verify = toBool(key, value);
    else if (key == "server_name")
      options.serverName = value.asText();
    else if (key == "check_hostname")
      options.checkHostname = toBool(key, value);
    else if (key == "www_dir") {
      options.wwwDir = value.asText();
      options.wwwDirExplicit = !options.wwwDir.empty();
    } else if (key == "www_link_dirs")
      options.wwwLinkDirs = toList(value);
    else if (key == "max_queue_bytes")
      options.maxQueueBytes = toCount(key, value, 4096, 1LL << 34);
    else if (key == "max_frame_bytes")
      options.maxFrameBytes = toCount(key, value, 1024, 1LL << 30);
    else if (key == "max_connections")
      options.maxConnections = toCount(key, value, 1, 1 << 20);
    else if (key == "http_threads")
      options.httpThreads = static_cast<int>(toCount(key, value, 1, 1024));
    else if (key == "connect_timeout_ms")
      options.connectTimeoutMs = static_cast<int>(toCount(key, value, 1, kMaxMs));
    else if (key == "request_timeout_ms")
      options.requestTimeoutMs = static_cast<int>(toCount(key, value, 1, kMaxMs));
    else if (key == "frame_timeout_ms")
      options.frameTimeoutMs = static_cast<int>(toCount(key, value, 1, kMaxMs));
    else if (key == "send_timeout_ms")
      options.sendTimeoutMs = static_cast<int>(toCount(key, value, 1, kMaxMs));
    else if (key == "close_flush_ms")
      options.closeFlushMs = static_cast<int>(toCount(key, value, 0, kMaxMs));
  }
  return options;
}

}  // namespace rdk::ws
