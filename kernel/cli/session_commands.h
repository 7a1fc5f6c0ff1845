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
/// A server found through the session directory (start, shadow): it also listens on the unix
/// socket of its display there and records itself (session_dir.h).
struct SessionServe {
  std::string command;  // "start", "shadow": for messages
  std::string mode;     // "seamless", "shadow": shown by list
  std::string display;  // ":N"; empty: a free one (server.display is set to it)
};
int runServeSession(config::Config& config, plugin::Registry& registry,
                    const std::vector<std::string>& args, const SessionServe* session);
/// `rdkernel start [:N] --start=CMD...`: serve with the seamless platform.
int runStart(config::Config& config, plugin::Registry& registry,
             const std::vector<std::string>& args);
int runAttach(config::Config& config, plugin::Registry& registry,
              const std::vector<std::string>& args);
int runInfo(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args);
/// `rdkernel shadow [:N]`: serve an existing display (the x11 platform), as `xpra shadow`.
int runShadow(config::Config& config, plugin::Registry& registry,
              const std::vector<std::string>& args);
/// `rdkernel list`: the sessions in the session directory, live or dead (dead ones removed).
int runList(config::Config& config, plugin::Registry& registry,
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
