#include <cstdio>
#include <memory>

#include "command_support.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/metrics_endpoint.h"
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
  // Declared after the server, so it stops answering before the server goes.
  std::unique_ptr<session::MetricsEndpoint> metrics;
  if (const std::string bind = config.getString("server.metrics-bind"); !bind.empty()) {
    metrics = std::make_unique<session::MetricsEndpoint>(
        [&server] { return session::prometheusText(server.metrics()); });
    if (!metrics->start(bind, &error)) {
      std::fprintf(stderr, "rdkernel serve: %s (server.metrics-bind)\n", error.c_str());
      return 1;
    }
    std::printf(
        "metrics on http://%s/metrics\n",
        bind.substr(0, bind.rfind(':') + 1).append(std::to_string(metrics->port())).c_str());
  }
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
