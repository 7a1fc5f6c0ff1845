// The options object the kernel hands to authenticator_create: Xpra's "module:key=value,..." syntax
// converted to a flat JSON object, e.g. {"filename":"/etc/pw"}. Values may be strings, numbers or
// booleans; they are all kept as text, as Xpra keeps them.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace rdk::auth {

class AuthOptions {
 public:
  /// Parses |json| (empty means no options). Throws rdk::Error(RDK_E_INVALID_ARG) when it is not a
  /// flat JSON object.
  static AuthOptions parse(const std::string& json);

  std::optional<std::string> get(const std::string& key);
  std::string get(const std::string& key, const std::string& fallback);
  /// A non-negative integer option; throws RDK_E_INVALID_ARG when it is not one.
  long long getInt(const std::string& key, long long fallback);
  /// Keys never asked for (worth a warning: usually a typo).
  std::set<std::string> unusedKeys() const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
};

}  // namespace rdk::auth
