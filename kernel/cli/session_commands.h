// The session subcommands of the rdkernel CLI (serve, attach, info, demo, explain). Each returns
// the process exit code: 0 success, 1 runtime failure (peer unreachable, handshake refused), 2 bad
// usage.
#pragma once

#include <string>
#include <vector>

namespace rdk::config {
class Config;
}
namespace rdk::plugin {
class Registry;
}

namespace rdk::cli {

int runServe(config::Config& config, plugin::Registry& registry,
             const std::vector<std::string>& args);
/// `rdkernel start [:N] --start=CMD...`: serve with the seamless platform.
int runStart(config::Config& config, plugin::Registry& registry,
             const std::vector<std::string>& args);
int runAttach(config::Config& config, plugin::Registry& registry,
              const std::vector<std::string>& args);
int runInfo(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args);
/// `rdkernel stop URL`: asks the server to stop (as `xpra stop`), authenticating like attach.
int runStop(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args);
int runDemo(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args);
/// `--plugins --explain HELLO.json`.
int runExplain(config::Config& config, plugin::Registry& registry, const std::string& helloPath);

/// SIGINT and SIGTERM set the flag the loops watch.
void installStopSignals();
bool stopRequested();

}  // namespace rdk::cli
