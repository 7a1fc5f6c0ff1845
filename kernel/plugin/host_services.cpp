// The rdk_host_api table: Poco logging per plugin, per-thread error text, config values.
#include "rdk/kernel/host_services.h"

#include <Poco/Logger.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "rdk/config/config.h"

namespace rdk::plugin {
namespace {

thread_local std::string tlsLastError;

// The ctx every table carries: which plugin is calling.
struct PluginContext {
  std::string name;
  Poco::Logger* logger;
};

PluginContext* contextOf(rdk_host_ctx* ctx) {
  return reinterpret_cast<PluginContext*>(ctx);
}

void hostLog(rdk_host_ctx* ctx, rdk_log_level level, const char* msg) {
  if (!msg)
    return;
  Poco::Logger& logger = *contextOf(ctx)->logger;
  switch (level) {
    case RDK_LOG_ERROR:
      logger.error(msg);
      return;
    case RDK_LOG_WARNING:
      logger.warning(msg);
      return;
    case RDK_LOG_INFO:
      logger.information(msg);
      return;
    case RDK_LOG_DEBUG:
      logger.debug(msg);
      return;
  }
  logger.information(msg);  // a level outside the enum: log it rather than lose it
}

void hostSetError(rdk_host_ctx*, const char* msg) {
  tlsLastError = msg ? msg : "";
}

void hostCountRefusal(rdk_host_ctx* ctx, const char* reason, uint64_t n) {
  HostServices::instance().countRefusal(contextOf(ctx)->name, reason, n);
}

uint64_t hostNowUs(rdk_host_ctx*) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

struct HostServices::State {
  mutable std::mutex mutex;
  // plugin -> reason -> count; at most kMaxRefusalReasons reasons per plugin (plus "other").
  std::map<std::string, std::map<std::string, uint64_t>> refusals;
  rdk::config::Config config;
  // Strings handed to plugins must live as long as the process: interned, never erased.
  std::set<std::string> interned;
  std::map<std::string, std::unique_ptr<PluginContext>> contexts;
  std::map<std::string, std::unique_ptr<rdk_host_api>> apis;
};

HostServices::HostServices() : state_(new State) {}

HostServices& HostServices::instance() {
  static HostServices* services = new HostServices;
  return *services;
}

void HostServices::setConfig(const rdk::config::Config& config) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->config = config;
}

const rdk_host_api* HostServices::apiFor(const std::string& pluginName) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto it = state_->apis.find(pluginName);
  if (it != state_->apis.end())
    return it->second.get();
  auto context = std::make_unique<PluginContext>();
  context->name = pluginName;
  context->logger = &Poco::Logger::get("rdk.plugin." + pluginName);
  auto api = std::make_unique<rdk_host_api>();
  api->struct_size = sizeof(rdk_host_api);
  api->abi_major = RDK_PLUGIN_ABI_MAJOR;
  api->abi_minor = RDK_PLUGIN_ABI_MINOR;
  api->ctx = reinterpret_cast<rdk_host_ctx*>(context.get());
  api->log = &hostLog;
  api->set_error = &hostSetError;
  api->config_get = [](rdk_host_ctx*, const char* key) -> const char* {
    if (!key)
      return nullptr;
    return HostServices::instance().configValue(key);
  };
  api->now_us = &hostNowUs;
  api->count_refusal = &hostCountRefusal;
  const rdk_host_api* result = api.get();
  state_->contexts[pluginName] = std::move(context);
  state_->apis[pluginName] = std::move(api);
  return result;
}

const char* HostServices::configValue(const std::string& key) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const std::optional<std::string> value = state_->config.find(key);
  if (!value)
    return nullptr;
  return state_->interned.insert(*value).first->c_str();
}

void HostServices::countRefusal(const std::string& plugin, const char* reason, uint64_t n) {
  std::string name = reason && *reason ? reason : "unnamed";
  if (name.size() > 64)
    name.resize(64);
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto& reasons = state_->refusals[plugin];
  if (!reasons.count(name) && reasons.size() >= kMaxRefusalReasons)
    name = "other";  // a plugin naming reasons without end must not grow the kernel's memory
  reasons[name] += n;
}

std::vector<PluginRefusalCount> HostServices::refusalCounts() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<PluginRefusalCount> out;
  for (const auto& [plugin, reasons] : state_->refusals) {
    for (const auto& [reason, count] : reasons)
      out.push_back({plugin, reason, count});
  }
  return out;
}

void HostServices::setError(const std::string& message) {
  tlsLastError = message;
}
std::string HostServices::lastError() {
  return tlsLastError;
}
void HostServices::clearError() {
  tlsLastError.clear();
}

}  // namespace rdk::plugin
