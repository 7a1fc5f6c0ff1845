// Plugin-declared settings: types, where a plugin may put its keys.
#include "rdk/config/plugin_setting.h"

#include <algorithm>

namespace rdk::config {
namespace {

const char* const kPluginNamespaces[] = {"encoder.", "transport.", "auth.", "platform.", "plugin."};

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

bool validKeyText(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos)
    return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

}  // namespace

SchemaEntry PluginSetting::entry() const {
  return {key.c_str(), type, defaultValue.c_str(), help.c_str(), minInt, maxInt, choices.c_str()};
}

bool parseSettingType(const std::string& name, ValueType* type) {
  static const std::pair<const char*, ValueType> kTypes[] = {
      {"string", ValueType::String},   {"int", ValueType::Int},   {"bool", ValueType::Bool},
      {"percent", ValueType::Percent}, {"list", ValueType::List}, {"enum", ValueType::Enum}};
  for (const auto& [text, value] : kTypes) {
    if (name == text) {
      *type = value;
      return true;
    }
  }
  return false;
}

bool isPluginNamespace(const std::string& key) {
  return std::any_of(std::begin(kPluginNamespaces), std::end(kPluginNamespaces),
                     [&](const char* prefix) { return startsWith(key, prefix); });
}

std::string checkPluginSettingKey(const std::string& key, const std::string& plugin,
                                  const std::vector<std::string>& kinds) {
  if (!validKeyText(key))
    return "'" + key + "' is not a key (lower case, digits, '-', '_', dot-separated)";
  if (findSchema(key))
    return "'" + key + "' is a kernel key";
  if (startsWith(key, "plugin.")) {
    if (startsWith(key, "plugin." + plugin + ".") && key.size() > plugin.size() + 8)
      return {};
    return "'" + key + "' is under plugin.<name>. of another plugin (this one is '" + plugin + "')";
  }
  for (const std::string& kind : kinds) {
    const std::string prefix = kind + ".";
    if (startsWith(key, prefix) && key.size() > prefix.size())
      return {};
  }
  return "'" + key + "' is outside the plugin's kinds (<kind>.* or plugin." + plugin + ".*)";
}

}  // namespace rdk::config
