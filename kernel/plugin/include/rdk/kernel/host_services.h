// The host API table handed to plugins: logging through Poco::Logger, per-thread errors, config.
#pragma once

#include <string>

#include "rdk/plugin_abi.h"

namespace rdk::config {
class Config;
}

namespace rdk::plugin {

class HostServices {
 public:
  static HostServices& instance();  // never destroyed

  /// The values config_get serves from now on (strings handed out earlier stay valid).
  void setConfig(const rdk::config::Config& config);
  /// The host table for |pluginName| (logs go to logger "rdk.plugin.<name>"). Stable pointer.
  const rdk_host_api* apiFor(const std::string& pluginName);

  /// The value of |key| (default included) as a string valid for the life of the process.
  const char* configValue(const std::string& key);

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
