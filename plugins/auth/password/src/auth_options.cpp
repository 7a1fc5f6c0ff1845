#include "auth_options.h"

#include <charconv>

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::auth {

AuthOptions AuthOptions::parse(const std::string& json) {
  AuthOptions options;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return options;
  json::Value root;
  try {
    root = json::Value::parse(json);
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("auth options are not a JSON object: ") + e.what());
  }
  if (!root.isObject())
    throw Error(RDK_E_INVALID_ARG, "auth options are not a JSON object");
  for (const auto& [key, value] : root.asObject()) {
    if (value.isArray() || value.isObject())
      throw Error(RDK_E_INVALID_ARG, "auth option '" + key + "' must be a plain value");
    options.values_[key] = value.isNull() ? std::string() : value.asText();
  }
  return options;
}

std::optional<std::string> AuthOptions::get(const std::string& key) {
  used_.insert(key);
  auto it = values_.find(key);
  if (it == values_.end())
    return std::nullopt;
  return it->second;
}

std::string AuthOptions::get(const std::string& key, const std::string& fallback) {
  return get(key).value_or(fallback);
}

long long AuthOptions::getInt(const std::string& key, long long fallback) {
  const std::optional<std::string> text = get(key);
  if (!text)
    return fallback;
  long long value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < 0) {
    throw Error(RDK_E_INVALID_ARG,
                "auth option '" + key + "' must be a non-negative integer, not '" + *text + "'");
  }
  return value;
}

std::set<std::string> AuthOptions::unusedKeys() const {
  std::set<std::string> unused;
  for (const auto& [key, value] : values_) {
    if (!used_.count(key))
      unused.insert(key);
  }
  return unused;
}

}  // namespace rdk::auth
