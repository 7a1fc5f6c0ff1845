// Cache of child inspection / probe results, keyed by the plugin file's content hash, mtime and
// size (content, because mtimes lie after copies and package installs).
#pragma once

#include <optional>
#include <string>

#include "rdk/json/document.hpp"

namespace rdk::plugin {

struct FileIdentity {
  std::string sha256;
  long long mtime = 0;
  long long size = 0;
};

std::optional<FileIdentity> identifyFile(const std::string& path);

/// $XDG_CACHE_HOME/rdkernel/probe-cache.json, else ~/.cache/rdkernel/probe-cache.json.
std::string defaultInspectionCachePath();

/// Looks |path| up; returns the stored result (an object) when its identity still matches.
std::optional<rdk::json::Value> cachedInspection(const std::string& cacheFile,
                                                 const std::string& path,
                                                 const FileIdentity& identity);
/// Stores |result| for |path| (read-modify-write, atomic rename). Failures are logged, not thrown.
void storeInspection(const std::string& cacheFile, const std::string& path,
                     const FileIdentity& identity, const rdk::json::Value& result);

}  // namespace rdk::plugin
