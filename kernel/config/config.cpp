// Parsing rdkernel.conf and reading typed values.
#include "rdk/config/config.h"

#include <fstream>
#include <mutex>
#include <sstream>

#include "rdk/config/schema.h"

namespace rdk::config {
namespace {

std::string formatWhat(const std::string& file, int line, const std::string& key,
                       const std::string& message) {
  std::string where = file;
  if (line > 0)
    where += ":" + std::to_string(line);
  if (key.empty())
    return where + ": " + message;
  return where + ": key '" + key + "': " + message;
}

const SchemaEntry& requireEntry(const std::string& key) {
  const SchemaEntry* entry = findSchema(key);
  // A getter asked for a key the schema does not have: a programming error, not a user error.
  if (!entry)
    throw std::logic_error("rdk::config: no schema entry for key '" + key + "'");
  return *entry;
}

// Strips a comment: a '#' at the start of the line or after whitespace.
std::string stripComment(const std::string& line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

}  // namespace

ConfigError::ConfigError(std::string file, int line, std::string key, std::string message)
    : std::runtime_error(formatWhat(file, line, key, message)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      message_(std::move(message)) {}

Config::Config(const Config& other) {
  *this = other;
}

Config& Config::operator=(const Config& other) {
  if (this == &other)
    return *this;
  std::map<std::string, std::string> values;
  std::map<std::string, std::pair<std::string, int>> origins;
  {
    std::shared_lock lock(other.mutex_);
    values = other.values_;
    origins = other.origins_;
  }
  std::unique_lock lock(mutex_);
  values_ = std::move(values);
  origins_ = std::move(origins);
  pluginSettings_ = other.pluginSettings_;
  pluginSettingsApplied_ = other.pluginSettingsApplied_;
  sourceFile_ = other.sourceFile_;
  return *this;
}

Config Config::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(path, 0, "", "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw ConfigError(path, 0, "", "cannot read the file");
  return parse(text.str(), path);
}

Config Config::parse(const std::string& text, const std::string& sourceName) {
  Config config;
  config.sourceFile_ = sourceName;
  std::map<std::string, int> firstLine;
  std::istringstream in(text);
  std::string rawLine;
  int lineNo = 0;
  while (std::getline(in, rawLine)) {
    ++lineNo;
    const std::string line = trim(stripComment(rawLine));
    if (line.empty())
      continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      throw ConfigError(sourceName, lineNo, "", "expected 'key = value', got '" + line + "'");
    }
    const std::string key = trim(line.substr(0, eq));
    if (key.empty())
      throw ConfigError(sourceName, lineNo, "", "missing key before '='");
    auto [it, inserted] = firstLine.emplace(key, lineNo);
    if (!inserted) {
      throw ConfigError(sourceName, lineNo, key,
                        "set twice (first on line " + std::to_string(it->second) + ")");
    }
    config.set(key, trim(line.substr(eq + 1)), sourceName, lineNo);
  }
  return config;
}

void Config::set(const std::string& key, const std::string& value, const std::string& source,
                 int line) {
  const SchemaEntry* entry = findSchema(key);
  if (!entry) {
    if (const PluginSetting* setting = findPluginSetting(key)) {
      checkPluginValue(*setting, value, source, line);
    } else if (pluginSettingsApplied_ || !isPluginNamespace(key)) {
      throw ConfigError(source, line, key,
                        "unknown key (see `rdkernel --print-default-config`: the kernel's keys "
                        "and the settings installed plugins declare)");
    }
    // Else a plugin setting, checked by applyPluginSettings once the catalog is known.
    std::unique_lock lock(mutex_);
    values_[key] = value;
    origins_[key] = {source, line};
    return;
  }
  const std::string error = checkValue(*entry, value);
  if (!error.empty()) {
    throw ConfigError(source, line, key, error + " (expected " + describeType(*entry) + ")");
  }
  std::unique_lock lock(mutex_);
  values_[key] = value;
  origins_[key] = {source, line};
}

const PluginSetting* Config::findPluginSetting(const std::string& key) const {
  for (const PluginSetting& setting : pluginSettings_) {
    if (setting.key == key)
      return &setting;
  }
  return nullptr;
}

void Config::checkPluginValue(const PluginSetting& setting, const std::string& value,
                              const std::string& source, int line) const {
  // An empty default means "the plugin decides"; writing it back empty keeps that.
  if (value.empty() && setting.defaultValue.empty())
    return;
  const SchemaEntry entry = setting.entry();
  const std::string error = checkValue(entry, value);
  if (!error.empty()) {
    throw ConfigError(source, line, setting.key,
                      error + " (expected " + describeType(entry) + ", declared by plugin " +
                          setting.plugin + ")");
  }
}

void Config::applyPluginSettings(const std::vector<PluginSetting>& settings) {
  pluginSettings_.clear();
  for (const PluginSetting& setting : settings) {
    if (!findSchema(setting.key) && !findPluginSetting(setting.key))
      pluginSettings_.push_back(setting);
  }
  pluginSettingsApplied_ = true;
  for (const auto& [key, value] : values_) {
    if (findSchema(key))
      continue;
    const auto [source, line] = origin(key);
    const PluginSetting* setting = findPluginSetting(key);
    if (!setting) {
      throw ConfigError(source, line, key,
                        "unknown key: neither a kernel key nor a setting an installed plugin "
                        "declares (see `rdkernel --print-default-config`)");
    }
    checkPluginValue(*setting, value, source, line);
  }
}

std::pair<std::string, int> Config::origin(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = origins_.find(key);
  return it == origins_.end() ? std::pair<std::string, int>{"", 0} : it->second;
}

ConfigError Config::errorAt(const std::string& key, const std::string& message) const {
  const auto [source, line] = origin(key);
  return ConfigError(source.empty() ? "(default)" : source, line, key, message);
}

void Config::setAssignment(const std::string& assignment, const std::string& source, int line) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || trim(assignment.substr(0, eq)).empty()) {
    throw ConfigError(source, line, "", "expected key=value, got '" + assignment + "'");
  }
  set(trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1)), source, line);
}

std::string Config::raw(const std::string& key) const {
  const SchemaEntry& entry = requireEntry(key);
  std::shared_lock lock(mutex_);
  auto it = values_.find(key);
  return it == values_.end() ? entry.defaultValue : it->second;
}

std::string Config::getString(const std::string& key) const {
  return raw(key);
}

long long Config::getInt(const std::string& key) const {
  const SchemaEntry& entry = requireEntry(key);
  if (entry.type != ValueType::Int)
    throw std::logic_error("rdk::config: '" + key + "' is not int");
  return std::stoll(raw(key));  // validated by set()
}

bool Config::getBool(const std::string& key) const {
  const SchemaEntry& entry = requireEntry(key);
  if (entry.type != ValueType::Bool) {
    throw std::logic_error("rdk::config: '" + key + "' is not bool");
  }
  const std::string v = raw(key);
  return v == "true" || v == "yes" || v == "on" || v == "1";
}

double Config::getDouble(const std::string& key) const {
  const SchemaEntry& entry = requireEntry(key);
  if (entry.type != ValueType::Percent && entry.type != ValueType::Int) {
    throw std::logic_error("rdk::config: '" + key + "' is not a number");
  }
  return std::stod(raw(key));
}

std::vector<std::string> Config::getList(const std::string& key) const {
  const SchemaEntry& entry = requireEntry(key);
  if (entry.type != ValueType::List && entry.type != ValueType::UrlList) {
    throw std::logic_error("rdk::config: '" + key + "' is not a list");
  }
  return splitList(raw(key));
}

Size Config::getSize(const std::string& key) const {
  const SchemaEntry& entry = requireEntry(key);
  if (entry.type != ValueType::Size)
    throw std::logic_error("rdk::config: '" + key + "' not size");
  const std::string v = raw(key);
  const size_t x = v.find('x');
  return Size{std::stoi(v.substr(0, x)), std::stoi(v.substr(x + 1))};
}

std::optional<std::string> Config::find(const std::string& key) const {
  {
    std::shared_lock lock(mutex_);
    auto it = values_.find(key);
    if (it != values_.end())
      return it->second;
  }
  if (const SchemaEntry* entry = findSchema(key))
    return std::string(entry->defaultValue);
  if (const PluginSetting* setting = findPluginSetting(key))
    return setting->defaultValue;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Config::explicitValues() const {
  std::shared_lock lock(mutex_);
  return {values_.begin(), values_.end()};
}

bool Config::isSet(const std::string& key) const {
  std::shared_lock lock(mutex_);
  return values_.count(key) != 0;
}

Config Config::reread() const {
  Config next = sourceFile_.empty() ? Config() : load(sourceFile_);
  if (pluginSettingsApplied_)
    next.applyPluginSettings(pluginSettings_);
  std::map<std::string, std::pair<std::string, int>> origins;
  std::map<std::string, std::string> values;
  {
    std::shared_lock lock(mutex_);
    origins = origins_;
    values = values_;
  }
  for (const auto& [key, where] : origins) {
    if (where.first != sourceFile_)
      next.set(key, values[key], where.first, where.second);
  }
  return next;
}

void Config::adopt(const Config& next, const std::vector<std::string>& keys) {
  std::map<std::string, std::pair<std::string, std::pair<std::string, int>>> taken;
  {
    std::shared_lock lock(next.mutex_);
    for (const std::string& key : keys) {
      auto it = next.values_.find(key);
      if (it != next.values_.end())
        taken[key] = {it->second, next.origins_.at(key)};
    }
  }
  std::unique_lock lock(mutex_);
  for (const std::string& key : keys) {
    auto it = taken.find(key);
    if (it == taken.end()) {
      values_.erase(key);
      origins_.erase(key);
    } else {
      values_[key] = it->second.first;
      origins_[key] = it->second.second;
    }
  }
}

}  // namespace rdk::config
