#include <cstdio>

#include "command_support.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/server.h"
#include "session_commands.h"

namespace rdk::cli {

using session::Server;
using session::ServerSummary;

int runServe(config::Config& config, plugin::Registry& registry,
             const std::vector<std::string>& args) {
  ArgParser parser(args);
  std::vector<std::string> binds = parser.values("--bind");
  if (auto platform = parser.value("--platform"))
    config.set("server.platform", *platform, "--platform");
  if (auto display = parser.value("--display"))
    config.set("server.display", *display, "--display");
  if (auto size = parser.value("--size"))
    config.set("server.size", *size, "--size");
  parser.positional();
  if (!parser.error().empty()) {
    std::fprintf(stderr, "rdkernel serve: %s\n", parser.error().c_str());
    return 2;
  }
  if (binds.empty())
    binds = config.getList("server.bind");
  if (binds.empty()) {
    std::fprintf(stderr, "rdkernel serve: nothing to bind (server.bind or --bind URL)\n");
    return 2;
  }
  installStopSignals();
  Server server(config, registry);
  std::string error;
  if (!server.start(binds, &error)) {
    std::fprintf(stderr, "rdkernel serve: %s\n", error.c_str());
    return 1;
  }
  for (const std::string& url : server.boundUrls())
    std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);
  server.run(stopFlag());
  const ServerSummary s = server.summary();
  std::printf("server stopped: %llu clients, %llu draws, %llu bytes\n",
              static_cast<unsigned long long>(s.clientsAccepted),
              static_cast<unsigned long long>(s.draws),
              static_cast<unsigned long long>(s.drawBytes));
  if (s.sharedEncodingEnabled) {
    std::printf(
        "shared encoding: %llu hits, %llu misses, %llu waits, %llu bytes and %llu ms of encoding "
        "saved\n",
        static_cast<unsigned long long>(s.sharedEncoding.hits),
        static_cast<unsigned long long>(s.sharedEncoding.misses),
        static_cast<unsigned long long>(s.sharedEncoding.waits),
        static_cast<unsigned long long>(s.sharedEncoding.bytesSaved),
        static_cast<unsigned long long>(s.sharedEncoding.encodeUsSaved / 1000));
  }
  return 0;
}

}  // namespace rdk::cli
