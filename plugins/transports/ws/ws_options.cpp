#include "ws_options.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "rdk/plugin.hpp"

namespace rdk::ws {
namespace {

bool toBool(const std::string& key, const Poco::Dynamic::Var& value) {
  if (value.isBoolean())
    return value.extract<bool>();
  const std::string text = value.convert<std::string>();
  if (text == "1" || text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "0" || text == "false" || text == "no" || text == "off")
    return false;
  throw Error(RDK_E_INVALID_ARG, "ws option '" + key + "' must be a boolean, not '" + text + "'");
}

long long toCount(const std::string& key, const Poco::Dynamic::Var& value, long long min,
                  long long max) {
  long long n = 0;
  try {
    n = value.convert<long long>();
  } catch (const Poco::Exception&) {
    throw Error(RDK_E_INVALID_ARG, "ws option '" + key + "' must be a number");
  }
  if (n < min || n > max)
    throw Error(RDK_E_INVALID_ARG, "ws option '" + key + "' must be within " + std::to_string(min) +
                                       ".." + std::to_string(max));
  return n;
}

std::vector<std::string> toList(const Poco::Dynamic::Var& value) {
  std::vector<std::string> out;
  auto add = [&out](std::string item) {
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    if (first != std::string::npos)
      out.push_back(item.substr(first, last - first + 1));
  };
  if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
      add(item.convert<std::string>());
    return out;
  }
  const std::string text = value.convert<std::string>();
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
  Poco::JSON::Object::Ptr object;
  try {
    object = json.find_first_not_of(" \t\r\n") == std::string::npos
                 ? Poco::JSON::Object::Ptr(new Poco::JSON::Object)
                 : Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return parseWsOptions(json);  // says what is wrong with it
  }
  if (!object)
    return parseWsOptions(json);
  for (const auto& [key, option] : kTlsSettings) {
    if (object->has(option))
      continue;  // what the kernel passed wins
    const std::optional<std::string> value = config(key);
    if (value && !value->empty())
      object->set(option, *value);  // text: toBool and toCount read "true", "5000"
  }
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(object, text);
  return parseWsOptions(text.str());
}

WsOptions parseWsOptions(const std::string& json) {
  WsOptions options;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return options;
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "ws options are not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("ws options are not a JSON object: ") + e.what());
  }
  if (!object)
    throw Error(RDK_E_INVALID_ARG, "ws options are not a JSON object");
  constexpr long long kMaxMs = 3600000;
  for (const auto& [key, value] : *object) {
    if (key == "cert")
      options.cert = value.convert<std::string>();
    else if (key == "key")
      options.key = value.convert<std::string>();
    else if (key == "ca")
      options.ca = value.convert<std::string>();
    else if (key == "verify")
      options.verify = toBool(key, value);
    else if (key == "server_name")
      options.serverName = value.convert<std::string>();
    else if (key == "check_hostname")
      options.checkHostname = toBool(key, value);
    else if (key == "www_dir") {
      options.wwwDir = value.convert<std::string>();
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
