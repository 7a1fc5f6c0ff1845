#include "ssl_options.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "rdk/plugin.hpp"

namespace rdk::ssl {
namespace {

bool toBool(const std::string& key, const Poco::Dynamic::Var& value) {
  if (value.isBoolean())
    return value.extract<bool>();
  const std::string text = value.convert<std::string>();
  if (text == "1" || text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "0" || text == "false" || text == "no" || text == "off")
    return false;
  throw Error(RDK_E_INVALID_ARG, "ssl option '" + key + "' must be a boolean, not '" + text + "'");
}

long long toCount(const std::string& key, const Poco::Dynamic::Var& value, long long min) {
  long long n = 0;
  try {
    n = value.convert<long long>();
  } catch (const Poco::Exception&) {
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

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return new Poco::JSON::Object;
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "ssl options are not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("ssl options are not a JSON object: ") + e.what());
  }
  if (!object)
    throw Error(RDK_E_INVALID_ARG, "ssl options are not a JSON object");
  return object;
}

SslOptions fromObject(const Poco::JSON::Object::Ptr& object) {
  SslOptions options;
  for (const auto& [key, value] : *object) {
    if (key == "cert")
      options.cert = value.convert<std::string>();
    if (key == "key")
      options.key = value.convert<std::string>();
    if (key == "ca")
      options.ca = value.convert<std::string>();
    if (key == "verify")
      options.verify = toBool(key, value);
    if (key == "server_name")
      options.serverName = value.convert<std::string>();
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
  Poco::JSON::Object::Ptr object = parseObject(json);
  for (const auto& [key, option] : kSettings) {
    if (object->has(option))
      continue;  // what the kernel passed wins
    const std::optional<std::string> value = config(key);
    if (value && !value->empty())
      object->set(option, *value);  // text: toBool/toCount read "true", "5000"
  }
  return fromObject(object);
}

}  // namespace rdk::ssl
