// `rdkernel --plugins`: the status table (or JSON) of every file in the plugin path.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "rdk/cli/command.h"

namespace rdk::cli {

struct ListingOptions {
  bool json = false;
  bool verify = false;  // load each usable plugin in this process (descriptor check, init)
  bool fresh = false;   // ignore cached child inspections (--probe)
  std::string explainFile;
  std::string plugin;  // NAME: one plugin in full (as gst-inspect-1.0 ELEMENT)
};

/// Parses --json, --verify, --probe, --explain FILE and one plugin NAME; false with |error| on
/// anything else.
bool parseListingArgs(const std::vector<std::string>& args, ListingOptions* options,
                      std::string* error);

/// Lists the plugins. Listing never loads a plugin into this process (only --verify does);
/// precise reasons come from child inspections. Returns the exit code (0 even with broken
/// plugins: they are reported, not fatal).
int listPlugins(CommandContext& ctx, const ListingOptions& options, std::ostream& out);

/// `rdkernel --plugins NAME`: everything about one plugin: files, status and reason, manifest,
/// every feature with its properties, its declared settings with their current values, the last
/// inspection. Exit 0, or 1 when no plugin has that name.
int describePlugin(CommandContext& ctx, const ListingOptions& options, std::ostream& out);

/// The `plugins` subcommand (same options as --plugins).
int pluginsCommand(CommandContext& ctx, const std::vector<std::string>& args);

}  // namespace rdk::cli
