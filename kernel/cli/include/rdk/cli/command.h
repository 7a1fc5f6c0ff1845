// The rdkernel command line's subcommand table. Each area appends its entries in
// kernel/cli/command_table.cpp; main dispatches `rdkernel <name> args...` through it.
#pragma once

#include <string>
#include <vector>

#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::cli {

/// What every subcommand gets: the configuration after --config and --set, and the plugin
/// registry already configured with it (scanned, nothing loaded).
struct CommandContext {
  rdk::config::Config& config;
  rdk::plugin::Registry& registry;
  std::string programPath;  // the rdkernel executable (for re-exec)
};

struct Command {
  const char* name;
  const char* help;                                                       // one line for --help
  int (*run)(CommandContext& ctx, const std::vector<std::string>& args);  // returns the exit code
};

/// Every subcommand, in --help order (defined in command_table.cpp).
std::vector<Command> commandTable();

/// `rdkernel --plugins --explain HELLO.json`: dry-run the hello negotiation against the catalog.
/// Null until the session layer sets it in command_table.cpp; the CLI then prints
/// "negotiation not available".
using ExplainHook = int (*)(CommandContext& ctx, const std::string& helloJsonPath);
extern ExplainHook explainHook;

}  // namespace rdk::cli
