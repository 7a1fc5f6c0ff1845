// The registry: catalog, feature ordering and on-demand loading.
#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "rdk/kernel/host_services.h"
#include "rdk/kernel/inspection_cache.h"
#include "rdk/kernel/plugin_loader.h"
#include "rdk/kernel/plugin_status.h"
#include "registry_state.h"

namespace rdk::plugin {
namespace {

bool providesFeature(const CatalogEntry& e, Kind kind, const std::string& capability) {
  if (!e.manifest)
    return false;
  for (const Feature& f : e.manifest->features) {
    if (f.kind == kind && (capability.empty() || f.name == capability))
      return true;
  }
  return false;
}

// Features a hardware probe said are really there ({"encodings":[...]}); all when it said nothing.
bool probedAvailable(const CatalogEntry& e, const Feature& f) {
  const rdk::json::Value* probe = e.inspection ? e.inspection->find("probe") : nullptr;
  const rdk::json::Value* names = probe ? probe->find("encodings") : nullptr;
  if (!names || !names->isArray() || f.kind != Kind::Encoder)
    return true;
  for (const rdk::json::Value& name : names->asArray()) {
    if (name.asText() == f.name)
      return true;
  }
  return false;
}

std::string defaultChildExecutable() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return {};
  if (self.filename() == "rdkernel")
    return self.string();
  const fs::path beside = self.parent_path() / "rdkernel";
  return fs::exists(beside, ec) ? beside.string() : std::string();
}

}  // namespace

Registry::Registry() : state_(new State) {
  state_->childExe = defaultChildExecutable();
}

Registry& Registry::instance() {
  static Registry* registry = new Registry;
  return *registry;
}

void Registry::configure(const rdk::config::Config& config) {
  std::lock_guard<std::mutex> lock(mutex_);
  State& s = *state_;
  // Everything is checked against the catalog before any state changes: a bad key or plugin name
  // is a ConfigError at its FILE:LINE and leaves the registry as it was.
  const std::vector<std::string> dirs = pluginSearchDirs(config.getList("plugins.path"));
  ScanPolicy policy{config.getList("plugins.allow"), config.getList("plugins.deny")};
  std::vector<CatalogEntry> entries = scanDirectories(dirs, policy);
  rdk::config::Config checked = config;
  checked.applyPluginSettings(declaredSettings(entries));
  ScanPolicy resolved;
  for (const auto& [key, list, out] : {std::tuple{"plugins.allow", &policy.allow, &resolved.allow},
                                       std::tuple{"plugins.deny", &policy.deny, &resolved.deny}}) {
    std::string what;
    *out = resolvePluginNames(*list, entries, &what);
    if (!what.empty())
      throw config.errorAt(key, what);
  }
  if (resolved.allow != policy.allow || resolved.deny != policy.deny)
    entries = scanDirectories(dirs, resolved);
  s.config = checked;
  HostServices::instance().setConfig(checked);
  s.policy = resolved;
  s.childTimeoutMs = static_cast<int>(config.getInt("plugins.probe-timeout"));
  s.cacheFile = defaultInspectionCachePath();
  s.dirs = dirs;
  s.entries = std::move(entries);
  for (CatalogEntry& e : s.entries) {
    auto loaded = s.loadedPaths.find(e.row.name);
    if (loaded != s.loadedPaths.end() && loaded->second == e.libraryPath) {
      e.row.status = status::kLoaded;
      e.row.reason.clear();
      e.row.loaded = true;
      continue;
    }
    if (!e.usable())
      continue;
    // What an earlier child inspection learnt about this exact file still holds.
    if (const auto identity = identifyFile(e.libraryPath)) {
      if (auto cached = cachedInspection(s.cacheFile, e.libraryPath, *identity)) {
        applyInspection(e, *cached);
      }
    }
  }
}

std::vector<StatusRow> Registry::rows() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StatusRow> rows;
  for (const CatalogEntry& e : state_->entries)
    rows.push_back(e.row);
  return rows;
}

bool Registry::catalogEntry(const std::string& name, CatalogEntry* out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const CatalogEntry& e : state_->entries) {
    if (e.row.name == name && e.row.status != status::kShadowed) {
      *out = e;
      return true;
    }
  }
  return false;
}

rdk::config::Config Registry::config() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_->config;
}

std::vector<rdk::config::PluginSetting> Registry::pluginSettings() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_->config.pluginSettings();
}

std::vector<std::string> Registry::searchDirs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_->dirs;
}

std::vector<Feature> Registry::features(Kind kind) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return featuresLocked(kind);
}

std::vector<Feature> Registry::featuresLocked(Kind kind) const {
  const State& s = *state_;
  std::vector<Feature> out;
  for (const CatalogEntry& e : s.entries) {
    if (!e.usable() || !e.manifest)
      continue;
    for (const Feature& f : e.manifest->features) {
      if (f.kind == kind && probedAvailable(e, f))
        out.push_back(f);
    }
  }
  const std::vector<std::string> prefer =
      s.config.getList(std::string("plugins.prefer.") + kindName(kind));
  auto position = [&](const Feature& f) {
    size_t best = prefer.size();
    for (size_t i = 0; i < prefer.size(); ++i) {
      if (prefer[i] == f.plugin || prefer[i] == f.name)
        best = std::min(best, i);
    }
    return best;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Feature& a, const Feature& b) {
    const size_t pa = position(a), pb = position(b);
    if (pa != pb)
      return pa < pb;
    if (a.rank != b.rank)
      return a.rank > b.rank;
    if (a.plugin != b.plugin)
      return a.plugin < b.plugin;
    return a.name < b.name;
  });
  return out;
}

namespace {
bool roleFlag(const Feature& feature, const char* key) {
  const rdk::json::Value* flag = feature.properties.find(key);
  if (!flag)
    return true;
  return flag->isBool() && flag->asBool();  // a malformed flag never volunteers the plugin
}
}  // namespace

bool featureFlag(const Feature& feature, std::string_view key, bool fallback) {
  const rdk::json::Value* flag = feature.properties.find(key);
  return flag && flag->isBool() ? flag->asBool() : fallback;
}

bool featureEncodes(const Feature& feature) {
  return roleFlag(feature, "encode");
}

bool featureDecodes(const Feature& feature) {
  return roleFlag(feature, "decode");
}

LoadedPlugin* Registry::select(Kind kind, const std::string& capability, std::string* whyNot,
                               const FeatureFilter& accept) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> tried, failures;
  for (const Feature& f : featuresLocked(kind)) {
    if (!capability.empty() && f.name != capability)
      continue;
    if (accept && !accept(f))
      continue;
    if (std::find(tried.begin(), tried.end(), f.plugin) != tried.end())
      continue;
    tried.push_back(f.plugin);
    std::string why;
    if (LoadedPlugin* p = loadLocked(f.plugin, &why))
      return p;
    failures.push_back(why);  // fall through to the next candidate
  }
  if (whyNot) {
    std::string what = std::string(kindName(kind)) + " '" + capability + "'";
    if (capability.empty())
      what = std::string("any ") + kindName(kind);
    std::string text = "no usable plugin provides " + what;
    for (const CatalogEntry& e : state_->entries) {
      if (!e.usable() && providesFeature(e, kind, capability)) {
        failures.push_back(e.row.name + ": " + e.row.status + ": " + e.row.reason);
      }
    }
    for (size_t i = 0; i < failures.size(); ++i)
      text += (i == 0 ? " (" : "; ") + failures[i];
    if (!failures.empty())
      text += ")";
    *whyNot = text;
  }
  return nullptr;
}

LoadedPlugin* Registry::loadByName(const std::string& pluginName, std::string* whyNot) {
  std::lock_guard<std::mutex> lock(mutex_);
  return loadLocked(pluginName, whyNot);
}

LoadedPlugin* Registry::loadLocked(const std::string& name, std::string* whyNot) {
  State& s = *state_;
  if (auto it = s.loaded.find(name); it != s.loaded.end())
    return it->second.get();
  CatalogEntry* entry = nullptr;
  for (CatalogEntry& e : s.entries) {
    if (e.row.name == name && e.usable()) {
      entry = &e;
      break;
    }
  }
  auto fail = [&](const std::string& reason) -> LoadedPlugin* {
    if (whyNot)
      *whyNot = reason;
    return nullptr;
  };
  if (!entry) {
    for (const CatalogEntry& e : s.entries) {
      if (e.row.name == name)
        return fail(name + ": " + e.row.status + ": " + e.row.reason);
    }
    return fail("no plugin named '" + name + "' in the plugin path");
  }
  // Nothing runs in this process before a child has shown that loading and init survive (or
  // the cache remembers that it did for this exact file): an abort() in a plugin costs a row.
  if (!ensureInspectedLocked(*entry, whyNot))
    return nullptr;
  LoadOutcome opened = openPlugin(*entry);
  if (opened.status == status::kOk) {
    void* state = nullptr;
    LoadOutcome init =
        initPlugin(*opened.descriptor, HostServices::instance().apiFor(name), &state);
    if (init.status == status::kOk) {
      auto plugin = std::make_unique<LoadedPlugin>();
      plugin->name = name;
      plugin->descriptor = opened.descriptor;
      plugin->state = state;
      LoadedPlugin* result = plugin.get();
      s.loaded[name] = std::move(plugin);
      s.loadedPaths[name] = entry->libraryPath;
      s.loadOrder.push_back(name);
      entry->row.status = status::kLoaded;
      entry->row.reason.clear();
      entry->row.loaded = true;
      Poco::Logger::get("rdk.plugin").debug("loaded " + name + " from " + entry->libraryPath);
      return result;
    }
    opened = init;
  }
  entry->row.status = opened.status;
  entry->row.reason = opened.reason;
  Poco::Logger::get("rdk.plugin").warning(name + ": " + opened.status + ": " + opened.reason);
  return fail(name + ": " + opened.status + ": " + opened.reason);
}

std::vector<std::string> Registry::loadedPluginNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_->loadOrder;
}

const rdk_host_api* Registry::hostApi() {
  return HostServices::instance().apiFor("kernel");
}

std::string Registry::lastPluginError() {
  return HostServices::lastError();
}

void Registry::shutdownAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  State& s = *state_;
  for (auto it = s.loadOrder.rbegin(); it != s.loadOrder.rend(); ++it) {
    if (!s.shutDown.insert(*it).second)
      continue;
    LoadedPlugin& p = *s.loaded.at(*it);
    if (p.descriptor->shutdown) {
      HostServices::clearError();
      p.descriptor->shutdown(p.state);
    }
  }
}

}  // namespace rdk::plugin
