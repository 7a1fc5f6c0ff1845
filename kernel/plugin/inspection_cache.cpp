// The probe/inspection cache file:
// {"kernel_abi":"1.0","entries":{path:{sha256,mtime,size,result,probe_dependencies}}}.
#include "rdk/kernel/inspection_cache.h"

#include <Poco/Logger.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "rdk/json/reader.hpp"
#include "rdk/kernel/probe_dependencies.h"
#include "rdk/plugin_abi.h"

namespace rdk::plugin {
namespace {

using rdk::json::Value;

const std::string kKernelAbi =
    std::to_string(RDK_PLUGIN_ABI_MAJOR) + "." + std::to_string(RDK_PLUGIN_ABI_MINOR);

std::optional<Value> readCache(const std::string& cacheFile) {
  std::ifstream in(cacheFile, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    Value root = Value::parse(text.str());
    // A cache written by another kernel ABI says nothing about this one.
    const Value* abi = root.find("kernel_abi");
    if (!abi || !abi->isString() || abi->asString() != kKernelAbi)
      return std::nullopt;
    const Value* entries = root.find("entries");
    if (entries && !entries->isObject())
      return std::nullopt;
    return root;
  } catch (const std::exception&) {
    return std::nullopt;  // a corrupt cache is just a cold cache
  }
}

}  // namespace

std::optional<FileIdentity> identifyFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  // OpenSSL rather than Poco's SHA2Engine: plugins with debug info are tens of MB and this runs
  // on every configure(); OpenSSL hashes them about ten times faster.
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return std::nullopt;
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
    return std::nullopt;
  static const char kHex[] = "0123456789abcdef";
  FileIdentity id;
  for (unsigned int i = 0; i < length; ++i) {
    id.sha256 += kHex[digest[i] >> 4];
    id.sha256 += kHex[digest[i] & 15];
  }
  id.mtime = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  id.size = static_cast<long long>(st.st_size);
  return id;
}

std::string defaultInspectionCachePath() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg)
    return std::string(xdg) + "/rdkernel/probe-cache.json";
  const char* home = std::getenv("HOME");
  if (home && *home)
    return std::string(home) + "/.cache/rdkernel/probe-cache.json";
  return {};
}

std::optional<Value> cachedInspection(const std::string& cacheFile, const std::string& path,
                                      const FileIdentity& identity) {
  if (cacheFile.empty())
    return std::nullopt;
  const std::optional<Value> cache = readCache(cacheFile);
  const Value* entries = cache ? cache->find("entries") : nullptr;
  const Value* entry = entries ? entries->find(path) : nullptr;
  if (!entry || !entry->isObject())
    return std::nullopt;
  try {
    if (entry->at("sha256").asString() != identity.sha256 ||
        entry->at("mtime").asInt() != identity.mtime ||
        entry->at("size").asInt() != identity.size) {
      return std::nullopt;
    }
  } catch (const rdk::json::TypeError&) {
    return std::nullopt;  // an entry of another shape: as good as none
  }
  const Value* result = entry->find("result");
  if (!result || !result->isObject())
    return std::nullopt;
  const Value* stored = entry->find("probe_dependencies");
  if (!probeDependenciesUnchanged(*result, stored && stored->isObject() ? stored : nullptr))
    return std::nullopt;
  return *result;
}

void storeInspection(const std::string& cacheFile, const std::string& path,
                     const FileIdentity& identity, const Value& result) {
  if (cacheFile.empty() || !result.isObject())
    return;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(cacheFile).parent_path(), ec);
  Value cache = readCache(cacheFile).value_or(Value::object());
  cache.set("kernel_abi", kKernelAbi);
  Value entry = Value::object();
  entry.set("sha256", identity.sha256);
  entry.set("mtime", identity.mtime);
  entry.set("size", identity.size);
  entry.set("result", result);
  if (std::optional<Value> snapshot = snapshotProbeDependencies(result))
    entry.set("probe_dependencies", std::move(*snapshot));
  Value entries = Value::object();
  if (const Value* stored = cache.find("entries"))
    entries = *stored;  // readCache saw to it that it is an object
  entries.set(path, std::move(entry));
  cache.set("entries", std::move(entries));
  // Write beside it and rename: concurrent kernels never see half a file.
  const std::string tmp = cacheFile + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      Poco::Logger::get("rdk.plugin").warning("cannot write the probe cache " + tmp);
      return;
    }
    out << cache.dump(1) << "\n";
  }
  fs::rename(tmp, cacheFile, ec);
  if (ec) {
    Poco::Logger::get("rdk.plugin").warning("cannot update " + cacheFile + ": " + ec.message());
    fs::remove(tmp, ec);
  }
}

}  // namespace rdk::plugin
