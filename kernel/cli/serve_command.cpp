#include <unistd.h>

#include <cstdio>
#include <memory>

#include "command_support.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/metrics_endpoint.h"
#include "rdk/session/server.h"
#include "session_commands.h"
#include "session_dir.h"

namespace rdk::cli {

using session::Server;
using session::ServerSummary;

namespace {

// Xpra's first display for `xpra start` is also :100 in its documentation; the test suites'
// private Xvfbs use :90..:120 and step over numbers in use, as this does.
constexpr int kFirstDisplay = 100;
constexpr int kDisplayAttempts = 5;

// Removes the session's record and socket when serve returns.
struct RecordGuard {
  SessionRecord record;
  bool written = false;
  ~RecordGuard() {
    if (written)
      removeSessionRecord(record);
  }
};

}  // namespace

int runServe(config::Config& config, plugin::Registry& registry,
             const std::vector<std::string>& args) {
  return runServeSession(config, registry, args, nullptr);
}

int runServeSession(config::Config& config, plugin::Registry& registry,
                    const std::vector<std::string>& args, const SessionServe* session) {
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
  // A session (start, shadow) listens on its socket; the default TCP port only when configured,
  // as Xpra's start binds no TCP port unless asked (and a second session would find it taken).
  const bool bindsFromCommandLine = !binds.empty();
  if (binds.empty() && (!session || !config.origin("server.bind").first.empty()))
    binds = config.getList("server.bind");
  if (binds.empty() && !session) {
    std::fprintf(stderr, "rdkernel serve: nothing to bind (server.bind or --bind URL)\n");
    return 2;
  }
  installStopSignals();
  installReloadSignal();
  std::string error;
  const std::string dir = session ? sessionDirectory() : "";
  if (session && !ensureSessionDirectory(dir, &error)) {
    std::fprintf(stderr, "rdkernel %s: %s\n", session->command.c_str(), error.c_str());
    return 1;
  }
  RecordGuard guard;
  std::unique_ptr<Server> started;
  for (int attempt = 1; !started; ++attempt) {
    std::vector<std::string> urls = binds;
    std::string display;
    if (session) {
      display = session->display;
      if (display.empty()) {
        const int number = freeDisplayNumber(dir, kFirstDisplay);
        if (number < 0) {
          std::fprintf(stderr, "rdkernel %s: no free display number\n", session->command.c_str());
          return 1;
        }
        display = ":" + std::to_string(number);
        config.set("server.display", display, "a free display");
      }
      // Sessions are reached through the socket directory, without a port (as Xpra's).
      guard.record.display = display;
      guard.record.mode = session->mode;
      guard.record.socket = sessionSocketPath(dir, displayNumber(display));
      urls.push_back("unix://" + guard.record.socket);
    }
    auto server = std::make_unique<Server>(config, registry);
    // A reload follows server.bind unless --bind chose the addresses (or a session has only its
    // socket and no configured bind: a reload may then add one).
    if (!bindsFromCommandLine)
      server->setBindsFromConfig(std::vector<std::string>(urls.begin() + binds.size(), urls.end()),
                                 !session);
    if (server->start(urls, &error)) {
      started = std::move(server);
      break;
    }
    // A display picked as free may be taken by another X server before ours starts on it.
    if (session && session->display.empty() && attempt < kDisplayAttempts &&
        error.find("in use") != std::string::npos) {
      std::fprintf(stderr, "rdkernel %s: %s: %s; trying another display\n",
                   session->command.c_str(), display.c_str(), error.c_str());
      continue;
    }
    std::fprintf(stderr, "rdkernel %s: %s\n", session ? session->command.c_str() : "serve",
                 error.c_str());
    return 1;
  }
  Server& server = *started;
  if (session) {
    guard.record.pid = static_cast<long>(::getpid());
    guard.record.urls = server.boundUrls();
    if (!writeSessionRecord(dir, guard.record, &error)) {
      std::fprintf(stderr, "rdkernel %s: %s\n", session->command.c_str(), error.c_str());
      return 1;
    }
    guard.written = true;
    std::printf("session %s (%s) in %s\n", guard.record.display.c_str(), session->mode.c_str(),
                dir.c_str());
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
  server.run(stopFlag(), &reloadFlag());
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
