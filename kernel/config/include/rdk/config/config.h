// rdkernel configuration: `key = value` lines validated against the schema table (schema.h).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rdk::config {

/// A bad configuration line; what() is "FILE:LINE: key 'k': message".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  std::string key_;
  std::string message_;
};

struct Size {
  int width = 0;
  int height = 0;
};

class Config {
 public:
  /// Every key at its default.
  Config() = default;

  /// Reads and validates |path|; throws ConfigError (an unreadable file is line 0).
  static Config load(const std::string& path);
  /// Parses |text| as if it were the file |sourceName|.
  static Config parse(const std::string& text, const std::string& sourceName);

  /// Overrides one key (the CLI's --set), validated like a file line; errors name |source|.
  void set(const std::string& key, const std::string& value, const std::string& source = "--set",
           int line = 0);
  /// "key=value" form of set().
  void setAssignment(const std::string& assignment, const std::string& source = "--set",
                     int line = 0);

  std::string getString(const std::string& key) const;
  long long getInt(const std::string& key) const;
  bool getBool(const std::string& key) const;
  double getDouble(const std::string& key) const;  // Percent keys (Int keys work too)
  std::vector<std::string> getList(const std::string& key) const;  // List and UrlList keys
  Size getSize(const std::string& key) const;

  /// The value of any known or plugin key (default included), nullopt when neither.
  std::optional<std::string> find(const std::string& key) const;
  bool isSet(const std::string& key) const { return values_.count(key) != 0; }
  /// Keys set by the file or set(), in key order.
  std::vector<std::pair<std::string, std::string>> explicitValues() const;
  /// The file this configuration came from ("" when none).
  const std::string& sourceFile() const { return sourceFile_; }

  /// config/rdkernel.conf: every key with its default and documentation.
  static std::string defaultConfigText();

 private:
  std::string raw(const std::string& key) const;

  std::map<std::string, std::string> values_;
  std::string sourceFile_;
};

}  // namespace rdk::config
