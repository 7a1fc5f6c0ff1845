#include "ssl_options.h"

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::ssl {
namespace {

bool toBool(const std::string& key, const json::Value& value) {
  if (value.isBool())
    return value.asBool();
  const std::string text = value.asText();
  if (text == "1" || text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "0" || text == "false" || text == "no" || text == "off")
    return false;
  throw Error(RDK_E_INVALID_ARG, "ssl option '" + key + "' must be a boolean, not '" + text + "'");
}

long long toCount(const std::string& key, const json::Value& value, long long min) {
  long long n = 0;
  try {
    const double d = value.asNumber();
    if (!(d > -9.2e18 && d < 9.2e18))
      throw json::TypeError("out of range");
    n = static_cast<long long>(d);
  } catch (const json::TypeError&) {
    throw Error(RDK_E_INVALID_ARG, "ssl option '" + key + "' must be a number");
  }
  if (n < min)
    throw Error(RDK_E_INVALID_ARG, "ssl option '" + key + "' is too small");
  return n;
}

}  // namespace

namespace {

// The declared settings (settings.json) and the option each one fills.
const std::pair<const char*, const char*> kSettings[] = {
    {"transport.tls.server-name", "server_name"},
    {"transport.tls.check-hostname", "check_hostname"},
    {"transport.tls.connect-timeout-ms", "connect_timeout_ms"},
    {"transport.tls.handshake-timeout-ms", "handshake_timeout_ms"},
    {"transport.tls.max-queue-bytes", "max_queue_bytes"},
    {"transport.tls.max-pending-handshakes", "max_pending_handshakes"},
};

json::Value parseObject(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return json::Value::object();
  json::Value object;
  try {
    object = json::Value::parse(text);
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("ssl options are not a JSON object: ") + e.what());
  }
  if (!object.isObject())
    throw Error(RDK_E_INVALID_ARG, "ssl options are not a JSON object");
  return object;
}

SslOptions fromObject(const json::Value& object) {
  SslOptions options;
  for (const auto& [key, value] : object.asObject()) {
    if (key == "cert")
      options.cert = value.asText();
    if (key == "key")
      options.key = value.asText();
    if (key == "ca")
      options.ca = value.asText();
    if (key == "verify")
      options.verify = toBool(key, value);
    if (key == "server_name")
      options.serverName = value.asText();
    if (key == "check_hostname")
      options.checkHostname = toBool(key, value);
    if (key == "max_queue_bytes")
      options.maxQueueBytes = toCount(key, value, 4096);
    if (key == "connect_timeout_ms")
      options.connectTimeoutMs = toCount(key, value, 1);
    if (key == "handshake_timeout_ms")
      options.handshakeTimeoutMs = toCount(key, value, 1);
    if (key == "close_flush_ms")
      options.closeFlushMs = toCount(key, value, 0);
    if (key == "max_pending_handshakes")
      options.maxPendingHandshakes = toCount(key, value, 1);
  }
  return options;
}

}  // namespace

SslOptions parseSslOptions(const std::string& json) {
  return fromObject(parseObject(json));
}

SslOptions parseSslOptions(const std::string& json, const ConfigLookup& config) {
  rdk::json::Value object = parseObject(json);
  for (const auto& [key, option] : kSettings) {
    if (object.has(option))
      continue;  // what the kernel passed wins
    const std::optional<std::string> value = config(key);
    if (value && !value->empty())
      object.set(option, *value);  // text: toBool/toCount read "true", "5000"
  }
  return fromObject(object);
}

}  // namespace rdk::ssl
