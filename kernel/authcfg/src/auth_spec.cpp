#include "rdk/authcfg/auth_spec.h"

#include <stdexcept>

#include "rdk/json.hpp"

namespace rdk::authcfg {
namespace {

std::string trimmed(const std::string& s) {
  const char* blanks = " \t\r\n";
  const size_t first = s.find_first_not_of(blanks);
  if (first == std::string::npos)
    return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

}  // namespace

std::string jsonQuote(const std::string& text) {
  return json::quote(text);
}

AuthSpec parseAuthSpec(const std::string& spec) {
  const std::string text = trimmed(spec);
  if (text.empty())
    throw std::invalid_argument("empty authentication setting");
  const size_t split = text.find_first_of(":,");
  AuthSpec result;
  result.module = trimmed(text.substr(0, split));
  if (result.module.empty()) {
    throw std::invalid_argument("authentication setting '" + spec + "' has no module name");
  }
  if (split != std::string::npos) {
    const std::string options = text.substr(split + 1);
    size_t start = 0;
    while (start <= options.size()) {
      size_t end = options.find(',', start);
      if (end == std::string::npos)
        end = options.size();
      const std::string item = options.substr(start, end - start);
      start = end + 1;
      if (item.empty())
        continue;  // "a=1,,b=2" and a trailing comma are harmless
      const size_t eq = item.find('=');
      if (eq == std::string::npos) {
        throw std::invalid_argument("authentication option '" + item + "' in '" + spec +
                                    "' is not key=value");
      }
      const std::string key = trimmed(item.substr(0, eq));
      if (key.empty()) {
        throw std::invalid_argument("authentication option '" + item + "' has an empty key");
      }
      // JSON carries UTF-8 only: a value in another encoding (a Latin-1 password or path) would
      // reach the plugin changed, so it is refused here.
      if (!json::isValidUtf8(item)) {
        throw std::invalid_argument("authentication option '" + key +
                                    "' is not UTF-8 text");  // its value may be a password
      }
      result.options[key] = item.substr(eq + 1);
    }
  }
  result.optionsJson = "{";
  for (const auto& [key, value] : result.options) {
    if (result.optionsJson.size() > 1)
      result.optionsJson += ",";
    result.optionsJson += jsonQuote(key) + ":" + jsonQuote(value);
  }
  result.optionsJson += "}";
  return result;
}

}  // namespace rdk::authcfg
