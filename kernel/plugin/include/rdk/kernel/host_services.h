// The host API table handed to plugins: logging through Poco::Logger, per-thread errors, config.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"

namespace rdk::config {
class Config;
}

namespace rdk::plugin {

/// What one plugin turned away, by the reason it named (rdk_host_api.count_refusal).
struct PluginRefusalCount {
  std::string plugin;
  std::string reason;
  uint64_t count = 0;
};

class HostServices {
 public:
  /// Distinct reasons kept per plugin; further ones are counted as "other".
  static constexpr size_t kMaxRefusalReasons = 32;

  static HostServices& instance();  // never destroyed

  /// The values config_get serves from now on (strings handed out earlier stay valid).
  void setConfig(const rdk::config::Config& config);
  /// The host table for |pluginName| (logs go to logger "rdk.plugin.<name>"). Stable pointer.
  const rdk_host_api* apiFor(const std::string& pluginName);

  /// The value of |key| (default included) as a string valid for the life of the process.
  const char* configValue(const std::string& key);

  /// What count_refusal counted so far, by plugin and reason (sorted).
  std::vector<PluginRefusalCount> refusalCounts() const;
  void countRefusal(const std::string& plugin, const char* reason, uint64_t n);

  static void setError(const std::string& message);
  static std::string lastError();
  static void clearError();

 private:
  HostServices();
  ~HostServices() = delete;
  struct State;
  State* state_;
};

}  // namespace rdk::plugin
