// Loading one plugin into this process: Boost.DLL, bind now, local symbols, never unloaded.
#pragma once

#include <string>

#include "rdk/kernel/plugin_catalog.h"

namespace rdk::plugin {

struct LoadOutcome {
  std::string status;  // plugin_status.h token; kOk when the library and descriptor check out
  std::string reason;
  const rdk_plugin_descriptor* descriptor = nullptr;
};

/// dlopens |entry|'s library (kept mapped for the life of the process), calls the entry point and
/// checks the descriptor's size, ABI and agreement with the manifest. Runs no plugin init.
LoadOutcome openPlugin(const CatalogEntry& entry);

/// Calls |descriptor|'s init with |host|; kInitFailed with the plugin's message on failure.
LoadOutcome initPlugin(const rdk_plugin_descriptor& descriptor, const rdk_host_api* host,
                       void** state);

const char* statusCodeName(rdk_status status);

}  // namespace rdk::plugin
