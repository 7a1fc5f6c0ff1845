// A setting a plugin declares in its manifest ("settings"): validated and documented like the
// kernel's own keys once the plugin catalog is known (Config::applyPluginSettings).
#pragma once

#include <string>
#include <vector>

#include "rdk/config/schema.h"

namespace rdk::config {

struct PluginSetting {
  std::string plugin;  // the declaring plugin's name
  std::string key;     // the whole key, e.g. encoder.vpx.threads
  ValueType type = ValueType::String;
  std::string defaultValue;  // may be "" for "the plugin decides" (the help says what it does)
  std::string help;
  long long minInt = 0, maxInt = 0;
  std::string choices;  // Enum: "a|b|c"

  /// A schema entry pointing into this object (valid while it lives and is not changed).
  SchemaEntry entry() const;
};

/// The type names a manifest may use: string, int, bool, percent, list, enum.
bool parseSettingType(const std::string& name, ValueType* type);

/// Empty when plugin |plugin| of |kinds| may declare |key|, else why not. A key belongs to one of
/// the plugin's kinds (encoder./transport./auth./platform.<...>) or is plugin.<plugin>.<...>, and
/// never shadows a kernel key.
std::string checkPluginSettingKey(const std::string& key, const std::string& plugin,
                                  const std::vector<std::string>& kinds);

/// Keys that may be declared by a plugin and so are only checked once the catalog is known.
bool isPluginNamespace(const std::string& key);

}  // namespace rdk::config
