// rdkernel's command line: global options, configuration, then a mode or a subcommand.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "rdk/cli/command.h"
#include "rdk/cli/logging_setup.h"
#include "rdk/cli/plugin_listing.h"

#ifndef RDK_VERSION
#define RDK_VERSION "0.0.0"
#endif

namespace rdk::cli {
namespace {

constexpr int kExitUsage = 2;

struct Options {
  bool help = false, version = false, printDefaultConfig = false, plugins = false;
  std::optional<std::string> configFile, checkConfig, probePlugin;
  std::vector<std::string> sets;
  std::vector<std::string> listingArgs;  // --json, --verify, --probe, --explain FILE
  std::string command;
  std::vector<std::string> commandArgs;
};

void printHelp(std::ostream& out) {
  out << "usage: rdkernel [options] [command [args...]]\n\n"
         "rdkernel " RDK_VERSION
         ": a remote-display kernel speaking the Xpra 3.1 protocol, with\n"
         "transports, encoders, authentication and platforms as shared-object plugins.\n\n"
         "options:\n"
         "  --help                    this text\n"
         "  --version                 version and plugin ABI\n"
         "  --config FILE             read settings from FILE (rdkernel.conf format)\n"
         "  --set KEY=VALUE           override one setting (repeatable, wins over --config)\n"
         "  --check-config FILE       validate FILE: exit 0, or 2 with FILE:LINE: key 'k': why\n"
         "  --print-default-config    every key with its default and documentation\n"
         "  --plugins                 list plugins: name, kind, version, ABI, capabilities,\n"
         "                            status and reason, path (never loads a plugin)\n"
         "    --json                  ... as JSON\n"
         "    --verify                ... after loading each usable plugin here (descriptor, "
         "init)\n"
         "    --probe                 ... re-inspecting every plugin instead of using the cache\n"
         "    --explain HELLO.json    dry-run the hello negotiation for a client's hello\n"
         "    NAME                    one plugin in full: files, status, features, settings\n"
         "  --probe-plugin NAME|PATH  (internal) inspect one plugin, print JSON; run by the\n"
         "                            kernel in a child process\n\n"
         "environment:\n"
         "  RDK_PLUGIN_PATH           colon-separated plugin directories, searched after\n"
         "                            plugins.path and before the installed plugin directory\n\n"
         "commands:\n";
  for (const Command& c : commandTable()) {
    std::string name = c.name;
    out << "  " << name << std::string(name.size() < 24 ? 24 - name.size() : 1, ' ') << c.help
        << "\n";
  }
}

// Returns false with |error| on a usage error.
bool parseArgs(const std::vector<std::string>& args, Options* o, std::string* error) {
  auto value = [&](size_t& i, const std::string& opt) -> std::optional<std::string> {
    if (i + 1 >= args.size()) {
      *error = opt + " needs a value";
      return std::nullopt;
    }
    return args[++i];
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // --config and --set are global wherever they appear, also after a command.
    if (a == "--config" || a == "--set") {
      auto v = value(i, a);
      if (!v)
        return false;
      if (a == "--config") {
        o->configFile = *v;
      } else {
        o->sets.push_back(*v);
      }
      continue;
    }
    if (!o->command.empty()) {
      o->commandArgs.push_back(a);
      continue;
    }
    if (a == "--help" || a == "-h") {
      o->help = true;
    } else if (a == "--version") {
      o->version = true;
    } else if (a == "--print-default-config") {
      o->printDefaultConfig = true;
    } else if (a == "--plugins") {
      o->plugins = true;
    } else if (a == "--json" || a == "--verify" || a == "--probe") {
      o->listingArgs.push_back(a);
    } else if (a == "--explain") {
      auto v = value(i, a);
      if (!v)
        return false;
      o->listingArgs.push_back(a);
      o->listingArgs.push_back(*v);
    } else if (a == "--check-config" || a == "--probe-plugin") {
      auto v = value(i, a);
      if (!v)
        return false;
      (a == "--check-config" ? o->checkConfig : o->probePlugin) = *v;
    } else if (a.rfind("-", 0) == 0) {
      *error = "unknown option " + a + " (see --help)";
      return false;
    } else if (o->plugins) {
      o->listingArgs.push_back(a);  // --plugins NAME: one plugin in full
    } else {
      o->command = a;
    }
  }
  if (!o->listingArgs.empty() && !o->plugins) {
    *error = o->listingArgs.front() + " only goes with --plugins";
    return false;
  }
  return true;
}

rdk::config::Config loadConfig(const Options& o) {
  rdk::config::Config config;
  if (o.configFile)
    config = rdk::config::Config::load(*o.configFile);
  int n = 0;
  for (const std::string& set : o.sets)
    config.setAssignment(set, "--set", ++n);
  return config;
}

std::string programPath(const char* argv0) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : self.string();
}

}  // namespace

int runMain(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  Options o;
  std::string error;
  if (!parseArgs(args, &o, &error)) {
    std::cerr << "rdkernel: " << error << "\n";
    return kExitUsage;
  }
  if (o.help) {
    printHelp(std::cout);
    return 0;
  }
  if (o.version) {
    std::cout << "rdkernel " RDK_VERSION " (plugin ABI " << RDK_PLUGIN_ABI_MAJOR << "."
              << RDK_PLUGIN_ABI_MINOR << ", entry " RDK_PLUGIN_ENTRY_SYMBOL ")\n";
    return 0;
  }
  try {
    rdk::plugin::Registry& registry = rdk::plugin::Registry::instance();
    if (o.printDefaultConfig) {
      // The kernel's keys, then what the plugins on the path (--config/--set plugins.path,
      // RDK_PLUGIN_PATH, the installed directory) declare.
      registry.configure(loadConfig(o));
      std::cout << rdk::config::Config::defaultConfigText(registry.pluginSettings());
      return 0;
    }
    if (o.checkConfig) {
      // Everything start-up would refuse: the keys and values, the plugins' settings and names
      // against the installed catalog, a log file that cannot be opened.
      const rdk::config::Config checked = rdk::config::Config::load(*o.checkConfig);
      registry.configure(checked);
      checkLoggingFile(checked);
      std::cout << *o.checkConfig << ": ok\n";
      return 0;
    }
    rdk::config::Config config = loadConfig(o);
    setupLogging(config);
    if (o.probePlugin) {
      std::cout << registry.inspectHere(*o.probePlugin, config) << std::endl;
      return 0;
    }
    CommandContext ctx{config, registry, programPath(argv[0])};
    if (o.plugins) {
      registry.configure(config);
      return pluginsCommand(ctx, o.listingArgs);
    }
    if (o.command.empty()) {
      printHelp(std::cerr);
      return kExitUsage;
    }
    for (const Command& c : commandTable()) {
      if (o.command == c.name) {
        const bool help = std::any_of(o.commandArgs.begin(), o.commandArgs.end(),
                                      [](const auto& a) { return a == "--help" || a == "-h"; });
        if (help) {
          std::cout << "rdkernel " << c.name << ": " << c.help << "\n";
          return 0;
        }
        registry.configure(config);
        return c.run(ctx, o.commandArgs);
      }
    }
    std::cerr << "rdkernel: unknown command '" << o.command << "' (see --help)\n";
    return kExitUsage;
  } catch (const rdk::config::ConfigError& e) {
    std::cerr << "rdkernel: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "rdkernel: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace rdk::cli
