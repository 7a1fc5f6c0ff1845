// The kernel's plugin registry: scans plugin directories without loading anything, keeps a status
// row for every file, and loads plugins on demand (never unloading them).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/config/plugin_setting.h"
#include "rdk/json/document.hpp"
#include "rdk/plugin_abi.h"

namespace rdk::config {
class Config;
}

namespace rdk::plugin {

enum class Kind { Encoder, Transport, Auth, Platform };
const char* kindName(Kind kind);  // "encoder", "transport", "auth", "platform"

/// One capability a plugin declares in its manifest (an encoding, URL scheme, auth module...).
struct Feature {
  Kind kind = Kind::Encoder;
  std::string name;
  int rank = 0;
  std::string plugin;
  rdk::json::Value properties;  // the whole manifest entry (lossless, video, cost...): an object
};

/// A true/false property of |feature| ("secure", "droppable", "video"): |fallback| when it is
/// absent or not a boolean.
bool featureFlag(const Feature& feature, std::string_view key, bool fallback = false);

/// The roles of an encoder feature: a plugin may only encode an encoding (hardware encoders) or
/// only decode it (a client-side decoder library). "encode"/"decode" in the features; absent means
/// yes.
bool featureEncodes(const Feature& feature);
bool featureDecodes(const Feature& feature);
/// Narrows Registry::select to features that can play a role.
using FeatureFilter = std::function<bool(const Feature&)>;

/// One row of `rdkernel --plugins`: a file in the plugin path and what became of it.
/// status is one of the tokens in plugin_status.h ("ok", "loaded", "incompatible-abi", ...).
struct StatusRow {
  std::string name, version, kinds, capabilities, path, status, reason;
  int abiMajor = 0, abiMinor = 0;
  bool loaded = false;
};

struct LoadedPlugin {
  std::string name;
  const rdk_plugin_descriptor* descriptor = nullptr;
  void* state = nullptr;  // what the plugin's init returned; pass it to the vtable functions
};

struct CatalogEntry;

class Registry {
 public:
  /// Constructed on first use with new and never destroyed: no dlclose runs at exit.
  static Registry& instance();

  /// Scans the plugin path (config plugins.path, RDK_PLUGIN_PATH, the default dir) without
  /// loading anything. Call again to rescan; loaded plugins stay loaded. Throws
  /// rdk::config::ConfigError (at the key's FILE:LINE) for a setting no kernel key and no plugin
  /// declares, a value its plugin's declaration refuses, or an unknown name in plugins.allow/deny.
  /// Plugins then see the declared settings' defaults through config_get.
  void configure(const rdk::config::Config& config);
  std::vector<StatusRow> rows() const;
  /// Usable features of |kind| from the manifests, allow/deny and prefer order applied; no loading.
  std::vector<Feature> features(Kind kind) const;
  /// Loads the plugin providing |capability| for |kind| (config prefer order, then rank; an empty
  /// capability takes any; |accept|, when set, skips features it rejects). nullptr with the reason
  /// in |whyNot| when nothing usable provides it. A plugin is loaded here only after a child
  /// process inspected it (or the inspection cache holds the verdict for this exact file): one
  /// that crashes the child becomes a `crashed` row and the next candidate is tried.
  LoadedPlugin* select(Kind kind, const std::string& capability, std::string* whyNot = nullptr,
                       const FeatureFilter& accept = {});
  LoadedPlugin* loadByName(const std::string& pluginName, std::string* whyNot = nullptr);
  std::vector<std::string> loadedPluginNames() const;
  /// The kernel's own host table (for code that calls plugins outside of a plugin's context).
  const rdk_host_api* hostApi();
  /// What a plugin passed to set_error on this thread (cleared before each call the kernel makes).
  static std::string lastPluginError();
  /// Calls each loaded plugin's shutdown once; libraries stay mapped.
  void shutdownAll();

  // ---- Beyond the session layer's needs: the CLI and tests. ----

  /// Inspects every ok plugin in a child process (`rdkernel --probe-plugin PATH`): dlopen, the
  /// descriptor check, init, the hardware probe, shutdown. Results are cached by file content, so
  /// this process never loads anything. |fresh| ignores the cache.
  void inspectAll(bool fresh);
  /// Child side of inspectAll (the `--probe-plugin NAME|PATH` mode): inspects in this process and
  /// returns the result as a JSON object text.
  std::string inspectHere(const std::string& nameOrPath, const rdk::config::Config& config);
  /// The rdkernel executable run for child inspections (default: rdkernel beside this program).
  /// With "" plugins without `PROBE subprocess` are loaded unchecked (no crash safety); with a
  /// path that cannot run, a plugin the cache knows nothing about is passed over (load-failed).
  void setChildExecutable(const std::string& path);
  std::string childExecutable() const;
  /// The catalog entry of plugin |name| (manifest, files, last inspection); false when none.
  bool catalogEntry(const std::string& name, CatalogEntry* out) const;
  /// The settings the scanned plugins declare (what --print-default-config lists after the
  /// kernel's).
  std::vector<rdk::config::PluginSetting> pluginSettings() const;
  /// The configuration the registry was given, with the plugins' settings declared.
  rdk::config::Config config() const;
  /// Directories scanned, in search order.
  std::vector<std::string> searchDirs() const;

 private:
  Registry();
  ~Registry() = delete;

  struct State;
  LoadedPlugin* loadLocked(const std::string& name, std::string* whyNot);
  bool ensureInspectedLocked(CatalogEntry& entry, std::string* whyNot);
  /// The child's verdict, or null with |unavailable| set when no child could inspect it.
  std::optional<rdk::json::Value> runInspectionChild(const CatalogEntry& entry,
                                                     std::string* unavailable) const;
  std::vector<Feature> featuresLocked(Kind kind) const;

  mutable std::mutex mutex_;
  std::unique_ptr<State> state_;
};

}  // namespace rdk::plugin
