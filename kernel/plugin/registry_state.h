// Private: the registry's state, shared by registry.cpp and registry_inspection.cpp.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rdk/config/config.h"
#include "rdk/kernel/plugin_catalog.h"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::plugin {

struct Registry::State {
  rdk::config::Config config;
  std::vector<std::string> dirs;
  ScanPolicy policy;
  std::vector<CatalogEntry> entries;
  // Loaded plugins are never removed: their libraries stay mapped and their pointers stay valid.
  std::map<std::string, std::unique_ptr<LoadedPlugin>> loaded;
  std::map<std::string, std::string> loadedPaths;  // name -> library path
  std::vector<std::string> loadOrder;
  std::set<std::string> shutDown;
  std::string childExe;
  std::string cacheFile;
  int childTimeoutMs = 10000;
};

/// Records an inspection result ({"status","reason","probe"}) in |entry|'s row.
void applyInspection(CatalogEntry& entry, const rdk::json::Value& result);

}  // namespace rdk::plugin
