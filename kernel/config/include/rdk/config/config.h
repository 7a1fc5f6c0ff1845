// rdkernel configuration: `key = value` lines validated against the schema table (schema.h).
#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "rdk/config/plugin_setting.h"

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

/// Reads are safe from any thread while the loop thread adopts a reloaded file (SIGHUP): the
/// accept, auth and encode threads read their keys as they go.
class Config {
 public:
  /// Every key at its default.
  Config() = default;
  Config(const Config& other);
  Config& operator=(const Config& other);

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

  /// Declares the settings installed plugins put in their manifests. Keys under encoder.,
  /// transport., auth., platform. and plugin. that are no kernel key wait for this call: each must
  /// now be declared (else ConfigError at its FILE:LINE) and valid for its declared type. Later
  /// set() calls check those keys at once. The first declaration of a key wins.
  void applyPluginSettings(const std::vector<PluginSetting>& settings);
  /// The declared plugin settings (after applyPluginSettings), in declaration order.
  const std::vector<PluginSetting>& pluginSettings() const { return pluginSettings_; }

  /// Where |key| was set: {source, line} ({"", 0} for a default).
  std::pair<std::string, int> origin(const std::string& key) const;
  /// A ConfigError about the value of |key|, placed where that value was set.
  ConfigError errorAt(const std::string& key, const std::string& message) const;

  /// The value of any known or plugin key (default included), nullopt when neither.
  std::optional<std::string> find(const std::string& key) const;
  bool isSet(const std::string& key) const;
  /// Keys set by the file or set(), in key order.
  std::vector<std::pair<std::string, std::string>> explicitValues() const;
  /// The file this configuration came from ("" when none).
  const std::string& sourceFile() const { return sourceFile_; }

  /// The same configuration read again: the file re-parsed, the plugin settings declared again,
  /// and every value set elsewhere (--set, the command line) kept on top, as at start-up.
  /// Throws ConfigError for a bad line. No file: the values as they are.
  Config reread() const;
  /// Takes the values of |keys| from |next| (a key |next| leaves unset goes back to its
  /// default), atomically for readers on other threads.
  void adopt(const Config& next, const std::vector<std::string>& keys);

  /// config/rdkernel.conf: every key with its default and documentation, then the settings the
  /// plugins declare (one section per plugin).
  static std::string defaultConfigText(const std::vector<PluginSetting>& pluginSettings = {});

 private:
  std::string raw(const std::string& key) const;
  const PluginSetting* findPluginSetting(const std::string& key) const;
  void checkPluginValue(const PluginSetting& setting, const std::string& value,
                        const std::string& source, int line) const;

  // values_ and origins_ change under an exclusive lock (set, adopt); the plugin settings and the
  // source file are fixed before any other thread reads.
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::pair<std::string, int>> origins_;
  std::vector<PluginSetting> pluginSettings_;
  bool pluginSettingsApplied_ = false;
  std::string sourceFile_;
};

}  // namespace rdk::config
