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

SslOptions parseSslOptions(const std::string& json) {
  SslOptions options;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return options;
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "ssl options are not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("ssl options are not a JSON object: ") + e.what());
  }
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

}  // namespace rdk::ssl
