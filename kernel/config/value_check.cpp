// Validation of one configuration value against its schema entry.
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include <stdexcept>

#include "rdk/authcfg/auth_spec.h"
#include "rdk/config/schema.h"
#include "rdk/json.hpp"

namespace rdk::config {
namespace {

bool parseInteger(const std::string& text, long long* out) {
  if (text.empty())
    return false;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size())
    return false;
  *out = value;
  return true;
}

std::string checkInt(const SchemaEntry& entry, const std::string& value) {
  long long n = 0;
  if (!parseInteger(value, &n))
    return "'" + value + "' is not an integer";
  if (n < entry.minInt || n > entry.maxInt) {
    return value + " is out of range " + std::to_string(entry.minInt) + ".." +
           std::to_string(entry.maxInt);
  }
  return {};
}

std::string checkPercent(const std::string& value) {
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size()) {
    return "'" + value + "' is not a number";
  }
  // Underflow (1e-400, a subnormal like 4e-320): what Config::getDouble (std::stod) refuses.
  if (errno == ERANGE)
    return "'" + value + "' is too small or too large to be represented";
  if (!(d >= 0.0 && d <= 100.0))
    return value + " is not a percentage (0..100)";
  return {};
}

std::string checkBool(const std::string& value) {
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "1", "0"};
  for (const char* word : kWords) {
    if (value == word)
      return {};
  }
  return "'" + value + "' is not a boolean (true/false, yes/no, on/off, 1/0)";
}

std::string checkEnum(const SchemaEntry& entry, const std::string& value) {
  std::string choices = entry.choices;
  size_t start = 0;
  while (start <= choices.size()) {
    const size_t bar = choices.find('|', start);
    const std::string choice = choices.substr(start, bar - start);
    if (choice == value)
      return {};
    if (bar == std::string::npos)
      break;
    start = bar + 1;
  }
  return "'" + value + "' is not one of " + describeType(entry);
}

std::string checkUrl(const std::string& url) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos || sep == 0)
    return "'" + url + "' is not a URL (scheme://host:port)";
  for (size_t i = 0; i < sep; ++i) {
    const char c = url[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return "'" + url + "' has a bad scheme";
    }
  }
  try {
    Poco::URI uri(url);
    if (uri.getHost().empty())
      return "'" + url + "' has no host";
    const std::string authority = uri.getAuthority();
    const size_t colon = authority.rfind(':');
    const size_t bracket = authority.rfind(']');
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
      long long port = -1;
      if (!parseInteger(authority.substr(colon + 1), &port) || port < 0 || port > 65535) {
        return "'" + url + "' has a bad port";
      }
    }
  } catch (const Poco::Exception& e) {
    return "'" + url + "' is not a URL: " + e.message();
  }
  return {};
}

std::string checkSize(const std::string& value) {
  const size_t x = value.find('x');
  long long w = 0, h = 0;
  if (x == std::string::npos || !parseInteger(value.substr(0, x), &w) ||
      !parseInteger(value.substr(x + 1), &h)) {
    return "'" + value + "' is not a size WxH (e.g. 1280x720)";
  }
  if (w < 1 || h < 1 || w > 16384 || h > 16384) {
    return "'" + value + "' is out of range (1..16384 each way)";
  }
  return {};
}

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+';
}

std::string checkAuth(const std::string& value) {
  if (value.empty())
    return {};
  const size_t colon = value.find(':');
  const std::string module = value.substr(0, colon);
  if (module.empty())
    return "'" + value + "' has no auth module name";
  for (char c : module) {
    if (!isNameChar(c))
      return "'" + module + "' is not an auth module name";
  }
  if (colon == std::string::npos)
    return {};
  for (const std::string& option : splitList(value.substr(colon + 1))) {
    const size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      return "auth option '" + option + "' is not opt=value";
    }
    // The options reach the plugin as JSON, which is UTF-8 (parseAuthSpec refuses the same).
    if (!json::isValidUtf8(option))
      return "auth option '" + option.substr(0, eq) + "' is not UTF-8 text";
  }
  // The server reads the setting with the kernel's own parser long after this check: whatever it
  // refuses must be refused here, with its words (fuzz_config found a form feed between commas
  // that the list splitter trimmed away and parseAuthSpec took for an option).
  try {
    (void)authcfg::parseAuthSpec(value);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

}  // namespace

std::string trim(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])))
    ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])))
    --end;
  return text.substr(begin, end - begin);
}

std::vector<std::string> splitList(const std::string& value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos)
      comma = value.size();
    std::string item = trim(value.substr(start, comma - start));
    if (!item.empty())
      items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

std::string describeType(const SchemaEntry& entry) {
  switch (entry.type) {
    case ValueType::String:
      return "string";
    case ValueType::Int:
      return "int " + std::to_string(entry.minInt) + ".." + std::to_string(entry.maxInt);
    case ValueType::Bool:
      return "bool";
    case ValueType::Percent:
      return "percent 0..100";
    case ValueType::List:
      return "list";
    case ValueType::UrlList:
      return "url list";
    case ValueType::Enum: {
      std::string choices = entry.choices;
      for (char& c : choices) {
        if (c == '|')
          c = ',';
      }
      return "enum{" + choices + "}";
    }
    case ValueType::Size:
      return "size WxH";
    case ValueType::AuthSpec:
      return "auth module[:opt=val,...]";
  }
  return "unknown";  // impossible: every ValueType is handled above
}

std::string checkValue(const SchemaEntry& entry, const std::string& value) {
  switch (entry.type) {
    case ValueType::String:
    case ValueType::List:
      return {};
    case ValueType::Int:
      return checkInt(entry, value);
    case ValueType::Bool:
      return checkBool(value);
    case ValueType::Percent:
      return checkPercent(value);
    case ValueType::Enum:
      return checkEnum(entry, value);
    case ValueType::Size:
      return checkSize(value);
    case ValueType::AuthSpec:
      return checkAuth(value);
    case ValueType::UrlList:
      for (const std::string& url : splitList(value)) {
        std::string error = checkUrl(url);
        if (!error.empty())
          return error;
      }
      return {};
  }
  return "unknown value type";  // impossible: every ValueType is handled above
}

}  // namespace rdk::config
