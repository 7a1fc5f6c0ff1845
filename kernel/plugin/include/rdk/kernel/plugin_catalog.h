// The catalog: every file of the plugin path with its manifest and status, built without dlopen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rdk/json/document.hpp"
#include "rdk/kernel/plugin_manifest.h"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::plugin {

struct CatalogEntry {
  StatusRow row;
  std::optional<Manifest> manifest;  // set when the manifest parsed
  std::string libraryPath;           // "" when there is no library
  std::string manifestPath;          // "" when there is no manifest
  /// The last inspection or probe result ({"status","reason","probe"}), from a child or the cache.
  std::optional<rdk::json::Value> inspection;

  bool usable() const;  // ok or loaded
  bool needsProbe() const { return manifest && manifest->probe == "subprocess"; }
};

struct ScanPolicy {
  std::vector<std::string> allow;  // empty: all
  std::vector<std::string> deny;
};

/// Plugin directories in search order: |configured|, then RDK_PLUGIN_PATH, then the default
/// `<dir of this program>/../lib/rdkernel/plugins-1`; duplicates and missing dirs dropped.
std::vector<std::string> pluginSearchDirs(const std::vector<std::string>& configured);

/// Scans |dirs| in order: one entry per manifest and per shared object. Nothing is loaded; the
/// entry symbol is looked up in the ELF dynamic symbol table.
std::vector<CatalogEntry> scanDirectories(const std::vector<std::string>& dirs,
                                          const ScanPolicy& policy);

/// One plugin given by its library or manifest path (the child inspection mode).
CatalogEntry scanFile(const std::string& path, const ScanPolicy& policy);

/// The settings every parsed manifest of |entries| declares, in search order (docs/plugins.md).
std::vector<rdk::config::PluginSetting> declaredSettings(const std::vector<CatalogEntry>& entries);

/// The plugin names in plugins.allow / plugins.deny (|key|) resolved against the catalog: a
/// plugin's name, or the part after "<kind>-" of a plugin named so ("ssl" for transport-ssl,
/// "password" for auth-password) when exactly one plugin has that part. Anything else is an error
/// naming the installed plugins; |what| receives it and the result is empty.
std::vector<std::string> resolvePluginNames(const std::vector<std::string>& names,
                                            const std::vector<CatalogEntry>& entries,
                                            std::string* what);

/// Reads the dynamic symbol table of an ELF shared object. Empty with |error| set when the file
/// is not a readable ELF64 object. Bounds-checked: a corrupt file never crashes the scan.
std::vector<std::string> elfDynamicSymbols(const std::string& path, std::string* error);

}  // namespace rdk::plugin
