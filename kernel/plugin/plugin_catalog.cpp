// Building the catalog: manifests and shared objects of the plugin path, checked without dlopen.
#include "rdk/kernel/plugin_catalog.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "rdk/kernel/plugin_status.h"

namespace fs = std::filesystem;

namespace rdk::plugin {
namespace {

const std::string kManifestSuffix = ".rdkplugin.json";
const std::string kLibrarySuffix = ".so";
const std::string kPrefix = "rdk-";

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string stemName(const std::string& fileName, const std::string& suffix) {
  std::string stem = fileName.substr(0, fileName.size() - suffix.size());
  return stem.rfind(kPrefix, 0) == 0 ? stem.substr(kPrefix.size()) : stem;
}

void setStatus(CatalogEntry& e, const char* status, std::string reason) {
  e.row.status = status;
  e.row.reason = std::move(reason);
}

// Checks a parsed manifest and its library, in the order a user would fix them.
void checkEntry(CatalogEntry& e, const std::string& fileStem, const ScanPolicy& policy) {
  const Manifest& m = *e.manifest;
  if (m.name != fileStem) {
    setStatus(e, status::kManifestMismatch,
              "name: manifest says '" + m.name + "' but the file is " + kPrefix + fileStem +
                  kManifestSuffix);
    return;
  }
  if (m.abiMajor != RDK_PLUGIN_ABI_MAJOR) {
    setStatus(e, status::kIncompatibleAbi,
              "expected ABI major " + std::to_string(RDK_PLUGIN_ABI_MAJOR) + ", found " +
                  std::to_string(m.abiMajor));
    return;
  }
  if (m.abiMinor > RDK_PLUGIN_ABI_MINOR) {
    setStatus(e, status::kTooNew,
              "plugin needs ABI " + std::to_string(m.abiMajor) + "." + std::to_string(m.abiMinor) +
                  ", this kernel has " + std::to_string(RDK_PLUGIN_ABI_MAJOR) + "." +
                  std::to_string(RDK_PLUGIN_ABI_MINOR));
    return;
  }
  if (!fs::exists(e.libraryPath)) {
    setStatus(e, status::kNotAPlugin, "manifest without library " + m.library);
    e.libraryPath.clear();
    return;
  }
  if (contains(policy.deny, m.name)) {
    setStatus(e, status::kDisabled, "listed in plugins.deny");
    return;
  }
  if (!policy.allow.empty() && !contains(policy.allow, m.name)) {
    setStatus(e, status::kDisabled, "not listed in plugins.allow");
    return;
  }
  std::string elfError;
  const std::vector<std::string> symbols = elfDynamicSymbols(e.libraryPath, &elfError);
  if (!elfError.empty()) {
    setStatus(e, status::kNotAPlugin, m.library + ": " + elfError);
    return;
  }
  if (!contains(symbols, RDK_PLUGIN_ENTRY_SYMBOL)) {
    setStatus(e, status::kNotAPlugin, std::string("no entry symbol ") + RDK_PLUGIN_ENTRY_SYMBOL);
    return;
  }
  setStatus(e, status::kOk, "");
}

// rdk-x.rdkplugin.json -> rdk-x.so, the library a manifest names by convention.
fs::path libraryBeside(const fs::path& manifestPath) {
  const std::string fileName = manifestPath.filename().string();
  return manifestPath.parent_path() /
         (fileName.substr(0, fileName.size() - kManifestSuffix.size()) + kLibrarySuffix);
}

CatalogEntry entryFromManifest(const fs::path& manifestPath, const ScanPolicy& policy) {
  CatalogEntry e;
  const std::string fileName = manifestPath.filename().string();
  const std::string fileStem = stemName(fileName, kManifestSuffix);
  e.manifestPath = manifestPath.string();
  e.row.name = fileStem;
  e.row.path = e.manifestPath;
  try {
    e.manifest = readManifest(e.manifestPath);
  } catch (const ManifestError& err) {
    std::error_code ec;
    const fs::path library = libraryBeside(manifestPath);
    setStatus(e, status::kBadManifest,
              err.what() +
                  std::string(fs::exists(library, ec)
                                  ? " (" + library.filename().string() + " beside it is not used)"
                                  : ""));
    return e;
  }
  const Manifest& m = *e.manifest;
  e.row.name = m.name;
  e.row.version = m.version;
  e.row.kinds = joinKinds(m.kinds);
  e.row.capabilities = joinFeatureNames(m.features);
  e.row.abiMajor = m.abiMajor;
  e.row.abiMinor = m.abiMinor;
  e.libraryPath = (manifestPath.parent_path() / m.library).string();
  e.row.path = e.libraryPath;
  checkEntry(e, fileStem, policy);
  if (e.libraryPath.empty())
    e.row.path = e.manifestPath;
  return e;
}

CatalogEntry entryForOrphanLibrary(const fs::path& libraryPath) {
  CatalogEntry e;
  const std::string fileName = libraryPath.filename().string();
  e.row.name = stemName(fileName, kLibrarySuffix);
  e.row.path = libraryPath.string();
  e.libraryPath = libraryPath.string();
  setStatus(e, status::kNotAPlugin,
            "no manifest (expected " + fileName.substr(0, fileName.size() - kLibrarySuffix.size()) +
                kManifestSuffix + " beside it)");
  return e;
}

std::string programDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

bool CatalogEntry::usable() const {
  return row.status == status::kOk || row.status == status::kLoaded;
}

std::vector<std::string> pluginSearchDirs(const std::vector<std::string>& configured) {
  std::vector<std::string> candidates = configured;
  if (const char* env = std::getenv("RDK_PLUGIN_PATH")) {
    std::string paths = env;
    size_t start = 0;
    while (start <= paths.size()) {
      size_t colon = paths.find(':', start);
      if (colon == std::string::npos)
        colon = paths.size();
      if (colon > start)
        candidates.push_back(paths.substr(start, colon - start));
      start = colon + 1;
    }
  }
  const std::string exeDir = programDir();
  if (!exeDir.empty()) {
    candidates.push_back(exeDir + "/../lib/rdkernel/plugins-1");
#ifdef RDK_PLUGIN_INSTALL_SUBDIR
    candidates.push_back(exeDir + "/../" RDK_PLUGIN_INSTALL_SUBDIR);
#endif
  }
  std::vector<std::string> dirs, seen;
  for (const std::string& dir : candidates) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(dir, ec);
    if (ec || !fs::is_directory(canonical, ec))
      continue;
    if (contains(seen, canonical.string()))
      continue;
    seen.push_back(canonical.string());
    dirs.push_back(canonical.string());
  }
  return dirs;
}

std::vector<CatalogEntry> scanDirectories(const std::vector<std::string>& dirs,
                                          const ScanPolicy& policy) {
  std::vector<CatalogEntry> entries;
  std::map<std::string, std::string> firstByName;  // name -> path, for shadowing
  for (const std::string& dir : dirs) {
    std::vector<fs::path> manifests, libraries;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (endsWith(name, kManifestSuffix))
        manifests.push_back(it->path());
      if (endsWith(name, kLibrarySuffix))
        libraries.push_back(it->path());
    }
    std::sort(manifests.begin(), manifests.end());
    std::sort(libraries.begin(), libraries.end());
    std::vector<std::string> claimed;
    for (const fs::path& manifest : manifests) {
      CatalogEntry e = entryFromManifest(manifest, policy);
      // A manifest that does not parse still speaks for the library of the same name: one
      // bad-manifest row with the parse error, not a second row saying "no manifest".
      claimed.push_back(e.manifest ? (manifest.parent_path() / e.manifest->library).string()
                                   : libraryBeside(manifest).string());
      auto [it, first] = firstByName.emplace(e.row.name, e.row.path);
      if (!first && e.usable())
        setStatus(e, status::kShadowed, "shadowed by " + it->second);
      entries.push_back(std::move(e));
    }
    for (const fs::path& library : libraries) {
      if (!contains(claimed, library.string()))
        entries.push_back(entryForOrphanLibrary(library));
    }
  }
  return entries;
}

CatalogEntry scanFile(const std::string& path, const ScanPolicy& policy) {
  fs::path p(path);
  if (endsWith(path, kManifestSuffix))
    return entryFromManifest(p, policy);
  const std::string fileName = p.filename().string();
  fs::path manifest =
      p.parent_path() /
      (fileName.substr(0, fileName.size() - kLibrarySuffix.size()) + kManifestSuffix);
  if (endsWith(path, kLibrarySuffix) && fs::exists(manifest))
    return entryFromManifest(manifest, policy);
  return entryForOrphanLibrary(p);
}

std::vector<rdk::config::PluginSetting> declaredSettings(const std::vector<CatalogEntry>& entries) {
  std::vector<rdk::config::PluginSetting> out;
  for (const CatalogEntry& e : entries) {
    if (e.manifest && e.row.status != status::kShadowed)
      out.insert(out.end(), e.manifest->settings.begin(), e.manifest->settings.end());
  }
  return out;
}

std::vector<std::string> resolvePluginNames(const std::vector<std::string>& names,
                                            const std::vector<CatalogEntry>& entries,
                                            std::string* what) {
  std::vector<std::string> known;
  for (const CatalogEntry& e : entries) {
    if (!contains(known, e.row.name))
      known.push_back(e.row.name);
  }
  std::sort(known.begin(), known.end());
  std::vector<std::string> resolved;
  for (const std::string& name : names) {
    if (contains(known, name)) {
      resolved.push_back(name);
      continue;
    }
    // The alias rule: "ssl" names "transport-ssl", the only plugin called <kind>-ssl.
    std::vector<std::string> matches;
    for (const std::string& plugin : known) {
      for (const char* kind : {"encoder-", "transport-", "auth-", "platform-"}) {
        if (plugin == kind + name)
          matches.push_back(plugin);
      }
    }
    if (matches.size() == 1) {
      resolved.push_back(matches.front());
      continue;
    }
    std::string list;
    for (const std::string& plugin : (matches.empty() ? known : matches))
      list += (list.empty() ? "" : ", ") + plugin;
    *what = matches.empty() ? "unknown plugin '" + name + "' (installed: " + list + ")"
                            : "'" + name + "' could be any of " + list + ": give the full name";
    return {};
  }
  return resolved;
}

}  // namespace rdk::plugin
