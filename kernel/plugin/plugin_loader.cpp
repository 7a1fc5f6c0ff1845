// dlopen through Boost.DLL with the flags the design asks for, and the checks that follow it.
#include "rdk/kernel/plugin_loader.h"

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>
#include <mutex>
#include <vector>

#include "rdk/kernel/host_services.h"
#include "rdk/kernel/plugin_status.h"

namespace rdk::plugin {
namespace {

// The smallest descriptor this kernel can use: everything up to the platform vtable (ABI 1.0).
constexpr size_t kMinDescriptorSize =
    offsetof(rdk_plugin_descriptor, platform) + sizeof(rdk_plugin_descriptor::platform);

// The dynamic loader's own text names the library it could not find; "cannot open shared object
// file" about a file other than the plugin itself means a dependency is missing.
LoadOutcome classifyOpenFailure(const std::string& path, const std::string& loaderText) {
  LoadOutcome out;
  out.reason = loaderText;
  const bool notFound = loaderText.find("cannot open shared object file") != std::string::npos;
  const bool aboutPlugin = loaderText.rfind(path + ":", 0) == 0;
  out.status = notFound && !aboutPlugin ? status::kMissingDependency : status::kLoadFailed;
  return out;
}

// Every library ever opened, reachable for the life of the process (never dlclose'd).
void keepMapped(boost::dll::shared_library* library) {
  static std::mutex* mutex = new std::mutex;
  static auto* libraries = new std::vector<boost::dll::shared_library*>;
  std::lock_guard<std::mutex> lock(*mutex);
  libraries->push_back(library);
}

}  // namespace

const char* statusCodeName(rdk_status status) {
  switch (status) {
    case RDK_OK:
      return "RDK_OK";
    case RDK_E_UNSUPPORTED:
      return "RDK_E_UNSUPPORTED";
    case RDK_E_INVALID_ARG:
      return "RDK_E_INVALID_ARG";
    case RDK_E_NO_DEVICE:
      return "RDK_E_NO_DEVICE";
    case RDK_E_NO_MEMORY:
      return "RDK_E_NO_MEMORY";
    case RDK_E_AGAIN:
      return "RDK_E_AGAIN";
    case RDK_E_INTERNAL:
      return "RDK_E_INTERNAL";
    case RDK_E_CORRUPT:
      return "RDK_E_CORRUPT";
    case RDK_E_CLOSED:
      return "RDK_E_CLOSED";
    case RDK_E_AUTH:
      return "RDK_E_AUTH";
    case RDK_E_IO:
      return "RDK_E_IO";
    case RDK_E_TIMEOUT:
      return "RDK_E_TIMEOUT";
  }
  return "unknown rdk_status";  // a plugin returned a value outside the enum
}

LoadOutcome openPlugin(const CatalogEntry& entry) {
  LoadOutcome out;
  if (entry.libraryPath.empty() || !entry.manifest) {
    out.status = entry.row.status;
    out.reason = entry.row.reason;
    return out;
  }
  namespace dll = boost::dll;
  // Never freed: a plugin library stays mapped for the life of the process, so no code or static
  // object can outlive it (the design's lifetime rule).
  auto* library = new dll::shared_library();
  dll::fs::error_code ec;
  dlerror();  // clear any stale text so the next dlerror() is about this load
  library->load(entry.libraryPath, dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
  if (ec || !library->is_loaded()) {
    const char* text = dlerror();
    delete library;  // nothing was mapped
    return classifyOpenFailure(entry.libraryPath,
                               text ? std::string(text) : entry.libraryPath + ": " + ec.message());
  }
  keepMapped(library);
  if (!library->has(RDK_PLUGIN_ENTRY_SYMBOL)) {
    out.status = status::kNotAPlugin;
    out.reason = std::string("no entry symbol ") + RDK_PLUGIN_ENTRY_SYMBOL;
    return out;
  }
  auto entryPoint = library->get<const rdk_plugin_descriptor*()>(RDK_PLUGIN_ENTRY_SYMBOL);
  const rdk_plugin_descriptor* d = entryPoint();
  if (!d) {
    out.status = status::kNotAPlugin;
    out.reason = "the entry point returned no descriptor";
    return out;
  }
  if (d->abi_major != RDK_PLUGIN_ABI_MAJOR) {
    out.status = status::kIncompatibleAbi;
    out.reason = "expected ABI major " + std::to_string(RDK_PLUGIN_ABI_MAJOR) +
                 ", the binary has " + std::to_string(d->abi_major);
    return out;
  }
  if (d->abi_minor > RDK_PLUGIN_ABI_MINOR) {
    out.status = status::kTooNew;
    out.reason = "the binary needs ABI 1." + std::to_string(d->abi_minor) + ", this kernel has 1." +
                 std::to_string(RDK_PLUGIN_ABI_MINOR);
    return out;
  }
  if (d->struct_size < kMinDescriptorSize) {
    out.status = status::kNotAPlugin;
    out.reason = "descriptor too small (" + std::to_string(d->struct_size) + " bytes)";
    return out;
  }
  const std::string mismatch = compareDescriptor(*d, *entry.manifest);
  if (!mismatch.empty()) {
    out.status = status::kManifestMismatch;
    out.reason = mismatch;
    return out;
  }
  if (!d->init) {
    out.status = status::kNotAPlugin;
    out.reason = "descriptor has no init function";
    return out;
  }
  out.status = status::kOk;
  out.descriptor = d;
  return out;
}

LoadOutcome initPlugin(const rdk_plugin_descriptor& d, const rdk_host_api* host, void** state) {
  LoadOutcome out;
  HostServices::clearError();
  *state = nullptr;
  const rdk_status st = d.init(host, state);
  if (st != RDK_OK) {
    std::string message = HostServices::lastError();
    out.status = status::kInitFailed;
    out.reason = message.empty() ? std::string("init returned ") + statusCodeName(st)
                                 : message + " (" + statusCodeName(st) + ")";
    return out;
  }
  out.status = status::kOk;
  out.descriptor = &d;
  return out;
}

}  // namespace rdk::plugin
