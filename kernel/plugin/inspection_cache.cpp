// The probe/inspection cache file:
// {"kernel_abi":"1.0","entries":{path:{sha256,mtime,size,result,probe_dependencies}}}.
#include "rdk/kernel/inspection_cache.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
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

#include "rdk/kernel/probe_dependencies.h"
#include "rdk/plugin_abi.h"

namespace rdk::plugin {
namespace {

const std::string kKernelAbi =
    std::to_string(RDK_PLUGIN_ABI_MAJOR) + "." + std::to_string(RDK_PLUGIN_ABI_MINOR);

Poco::JSON::Object::Ptr readCache(const std::string& cacheFile) {
  std::ifstream in(cacheFile, std::ios::binary);
  if (!in)
    return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(text.str());
    auto obj = root.extract<Poco::JSON::Object::Ptr>();
    // A cache written by another kernel ABI says nothing about this one.
    if (!obj || !obj->has("kernel_abi") || obj->getValue<std::string>("kernel_abi") != kKernelAbi) {
      return nullptr;
    }
    return obj;
  } catch (const Poco::Exception&) {
    return nullptr;  // a corrupt cache is just a cold cache
  } catch (const std::exception&) {
    return nullptr;
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

Poco::JSON::Object::Ptr cachedInspection(const std::string& cacheFile, const std::string& path,
                                         const FileIdentity& identity) {
  if (cacheFile.empty())
    return nullptr;
  Poco::JSON::Object::Ptr cache = readCache(cacheFile);
  if (!cache)
    return nullptr;
  Poco::JSON::Object::Ptr entries = cache->getObject("entries");
  if (!entries)
    return nullptr;
  Poco::JSON::Object::Ptr entry = entries->getObject(path);
  if (!entry)
    return nullptr;
  try {
    if (entry->getValue<std::string>("sha256") != identity.sha256 ||
        entry->getValue<long long>("mtime") != identity.mtime ||
        entry->getValue<long long>("size") != identity.size) {
      return nullptr;
    }
  } catch (const Poco::Exception&) {
    return nullptr;
  }
  Poco::JSON::Object::Ptr result = entry->getObject("result");
  if (!probeDependenciesUnchanged(result, entry->getObject("probe_dependencies")))
    return nullptr;
  return result;
}

void storeInspection(const std::string& cacheFile, const std::string& path,
                     const FileIdentity& identity, Poco::JSON::Object::Ptr result) {
  if (cacheFile.empty() || !result)
    return;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(cacheFile).parent_path(), ec);
  Poco::JSON::Object::Ptr cache = readCache(cacheFile);
  if (!cache) {
    cache = new Poco::JSON::Object;
    cache->set("kernel_abi", kKernelAbi);
  }
  Poco::JSON::Object::Ptr entries = cache->getObject("entries");
  if (!entries) {
    entries = new Poco::JSON::Object;
    cache->set("entries", entries);
  }
  Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
  entry->set("sha256", identity.sha256);
  entry->set("mtime", identity.mtime);
  entry->set("size", identity.size);
  entry->set("result", result);
  if (Poco::JSON::Object::Ptr snapshot = snapshotProbeDependencies(result))
    entry->set("probe_dependencies", snapshot);
  entries->set(path, entry);
  // Write beside it and rename: concurrent kernels never see half a file.
  const std::string tmp = cacheFile + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      Poco::Logger::get("rdk.plugin").warning("cannot write the probe cache " + tmp);
      return;
    }
    Poco::JSON::Stringifier::stringify(cache, out, 1);
  }
  fs::rename(tmp, cacheFile, ec);
  if (ec) {
    Poco::Logger::get("rdk.plugin").warning("cannot update " + cacheFile + ": " + ec.message());
    fs::remove(tmp, ec);
  }
}

}  // namespace rdk::plugin
