// `rdkernel proxy --bind tcp://HOST:PORT --users FILE`: one port, a session per user.
// `rdkernel proxy --list [--users FILE]`: the users and their sessions, from the state file of
// the running proxy.
#include "proxy_command.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "command_support.h"
#include "rdk/base/clock.h"
#include "rdk/config/config.h"
#include "rdk/proxy/child_launcher.h"
#include "rdk/proxy/kubernetes_launcher.h"
#include "rdk/proxy/proxy_server.h"
#include "rdk/proxy/state_file.h"
#include "rdk/proxy/systemd_launcher.h"
#include "session_commands.h"

namespace rdk::cli {

namespace {

constexpr const char* kUsage =
    "usage: rdkernel proxy --bind tcp://|ssl://|ws://|wss://|udp://|dtls://HOST:PORT...\n"
    "                      --users FILE [--set transport.tls.cert=PEM (ssl, wss, dtls)]\n"
    "                      [--launcher auto|child|systemd|kubernetes] [--idle-timeout SECONDS]\n"
    "                      [--session-config FILE] [--state-dir DIR] [--max-connections N]\n"
    "                      [--keep-sessions]\n"
    "                      [--kube-api http://127.0.0.1:8001] [--kube-namespace NS]\n"
    "                      [--kube-pod-template POD.json] [--kube-session-port 14500]\n"
    "       rdkernel proxy --list [--users FILE] [--state-dir DIR]\n";

std::string defaultStateDir() {
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
    return std::string(runtime) + "/rdkernel-proxy";
  return "/tmp/rdkernel-proxy-" + std::to_string(getuid());
}

int list(const std::string& stateDir, const std::optional<std::string>& usersPath) {
  std::vector<proxy::UserEntry> users;
  if (usersPath) {
    try {
      users = proxy::UsersFile::load(*usersPath).users();
    } catch (const proxy::UsersFileError& e) {
      std::fprintf(stderr, "rdkernel proxy: %s\n", e.what());
      return 2;
    }
  }
  std::ifstream in(stateDir + "/state.json");
  proxy::ProxyState state;
  bool running = false;
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    try {
      state = proxy::parseState(text.str());
      running = state.proxyPid > 0 && kill(static_cast<pid_t>(state.proxyPid), 0) == 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "rdkernel proxy: %s/state.json: %s\n", stateDir.c_str(), e.what());
      return 1;
    }
  } else if (!usersPath) {
    std::fprintf(stderr, "rdkernel proxy: no proxy state in %s (is a proxy running?)\n",
                 stateDir.c_str());
    return 1;
  }
  std::fputs(proxy::listTable(state, users, running).c_str(), stdout);
  return 0;
}

}  // namespace

int runProxy(CommandContext& ctx, const std::vector<std::string>& args) {
  ArgParser parser(args);
  const std::vector<std::string> binds = parser.values("--bind");
  const std::optional<std::string> usersPath = parser.value("--users");
  const std::string launcherName = parser.value("--launcher").value_or("auto");
  const std::optional<std::string> idle = parser.value("--idle-timeout");
  const std::optional<std::string> maxConnections = parser.value("--max-connections");
  const std::optional<std::string> sessionConfig = parser.value("--session-config");
  const std::string stateDir = parser.value("--state-dir").value_or(defaultStateDir());
  const bool listOnly = parser.flag("--list");
  const bool keepSessions = parser.flag("--keep-sessions");
  const std::string kubeApi = parser.value("--kube-api").value_or("http://127.0.0.1:8001");
  const std::string kubeNamespace = parser.value("--kube-namespace").value_or("default");
  const std::optional<std::string> kubeTemplate = parser.value("--kube-pod-template");
  const std::string kubePort = parser.value("--kube-session-port").value_or("14500");
  parser.positional();
  if (!parser.error().empty()) {
    std::fprintf(stderr, "rdkernel proxy: %s\n%s", parser.error().c_str(), kUsage);
    return 2;
  }
  if (listOnly)
    return list(stateDir, usersPath);
  if (binds.empty() || !usersPath) {
    std::fprintf(stderr, "rdkernel proxy: --bind and --users are required\n%s", kUsage);
    return 2;
  }
  uint64_t idleTimeoutS = 0;
  if (idle) {
    char* end = nullptr;
    idleTimeoutS = std::strtoull(idle->c_str(), &end, 10);
    if (idle->empty() || *end != '\0') {
      std::fprintf(stderr, "rdkernel proxy: --idle-timeout takes seconds, not '%s'\n",
                   idle->c_str());
      return 2;
    }
  }
  try {
    proxy::UsersFile::load(*usersPath);  // refuse a bad file at start, with FILE:LINE
  } catch (const proxy::UsersFileError& e) {
    std::fprintf(stderr, "rdkernel proxy: %s\n", e.what());
    return 2;
  }
  if (const std::string warning = proxy::usersFilePermissionWarning(*usersPath); !warning.empty())
    std::fprintf(stderr, "rdkernel proxy: warning: %s\n", warning.c_str());
  if (mkdir(stateDir.c_str(), 0700) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "rdkernel proxy: cannot create %s\n", stateDir.c_str());
    return 1;
  }
  std::vector<std::string> extraArgs;
  if (sessionConfig) {
    extraArgs = {"--config", *sessionConfig};
  }
  std::unique_ptr<proxy::SessionLauncher> launcher;
  std::unique_ptr<proxy::HttpClient> kubeHttp;
  proxy::SpawnRunner runner;
  const bool systemd =
      launcherName == "systemd" || (launcherName == "auto" && proxy::SystemdLauncher::available());
  if (launcherName != "auto" && launcherName != "child" && launcherName != "systemd" &&
      launcherName != "kubernetes") {
    std::fprintf(stderr,
                 "rdkernel proxy: --launcher auto, child, systemd or kubernetes, not '%s'\n",
                 launcherName.c_str());
    return 2;
  }
  if (launcherName == "kubernetes") {
    if (!kubeTemplate) {
      std::fprintf(stderr, "rdkernel proxy: --launcher kubernetes needs --kube-pod-template\n");
      return 2;
    }
    std::ifstream in(*kubeTemplate);
    std::stringstream text;
    text << in.rdbuf();
    std::string why;
    kubeHttp = proxy::makeHttpClient(kubeApi, 10000, &why);
    if (!in || !kubeHttp) {
      std::fprintf(stderr, "rdkernel proxy: %s\n",
                   in ? why.c_str() : ("cannot read " + *kubeTemplate).c_str());
      return 2;
    }
    proxy::KubernetesLauncherOptions options;
    options.ns = kubeNamespace;
    options.podTemplateJson = text.str();
    options.sessionPort = std::atoi(kubePort.c_str());
    try {
      launcher = std::make_unique<proxy::KubernetesLauncher>(options, *kubeHttp);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "rdkernel proxy: %s: %s\n", kubeTemplate->c_str(), e.what());
      return 2;
    }
  } else if (systemd) {
    proxy::SystemdLauncherOptions options;
    options.program = ctx.programPath;
    options.extraArgs = extraArgs;
    for (const std::string& bind : binds) {
      options.udp =
          options.udp || bind.compare(0, 6, "udp://") == 0 || bind.compare(0, 7, "dtls://") == 0;
      options.ws =
          options.ws || bind.compare(0, 5, "ws://") == 0 || bind.compare(0, 6, "wss://") == 0;
    }
    launcher = std::make_unique<proxy::SystemdLauncher>(options, runner);
  } else {
    proxy::ChildLauncherOptions options;
    options.program = ctx.programPath;
    options.extraArgs = extraArgs;
    options.logDir = stateDir;
    for (const std::string& bind : binds) {
      options.udp =
          options.udp || bind.compare(0, 6, "udp://") == 0 || bind.compare(0, 7, "dtls://") == 0;
      options.ws =
          options.ws || bind.compare(0, 5, "ws://") == 0 || bind.compare(0, 6, "wss://") == 0;
    }
    launcher = std::make_unique<proxy::ChildLauncher>(options);
  }
  proxy::RegistrySettings settings;
  settings.idleTimeoutUs = idleTimeoutS * 1'000'000;
  proxy::SessionRegistry sessions(*launcher, settings, proxy::randomToken);

  proxy::ProxyOptions options;
  options.binds = binds;
  options.usersPath = *usersPath;
  options.tlsCert = ctx.config.getString("transport.tls.cert");
  options.tlsKey = ctx.config.getString("transport.tls.key");
  // ws:// and wss:// binds serve the web client's page as `rdkernel serve` does: server.www-dir,
  // else rdkernel's own client, <prefix>/share/rdkernel/www next to <prefix>/bin/rdkernel (the
  // build tree has the same layout).
  options.wwwDir = ctx.config.getString("server.www-dir");
  if (options.wwwDir.empty()) {
    const std::string program = ctx.programPath;
    const size_t slash = program.rfind('/');
    options.wwwDir = (slash == std::string::npos ? std::string(".") : program.substr(0, slash)) +
                     "/../share/rdkernel/www";
  }
  options.wwwLinkDirs = ctx.config.getList("server.www-link-dirs");
  if (maxConnections) {
    options.maxConnections = std::strtoull(maxConnections->c_str(), nullptr, 10);
    if (options.maxConnections == 0) {
      std::fprintf(stderr, "rdkernel proxy: --max-connections takes a positive number\n");
      return 2;
    }
  }
  options.throttle.baseDelayUs =
      static_cast<uint64_t>(ctx.config.getInt("server.auth-failure-delay")) * 1000;
  options.throttle.maxDelayUs =
      static_cast<uint64_t>(ctx.config.getInt("server.auth-max-failure-delay")) * 1000;
  std::mutex logMutex;
  options.log = [&logMutex](const std::string& line) {
    std::lock_guard<std::mutex> lock(logMutex);
    std::printf("proxy: %s\n", line.c_str());
    std::fflush(stdout);
  };
  installStopSignals();
  proxy::ProxyServer server(options, sessions, ctx.registry);
  std::string error;
  if (!server.start(&error)) {
    std::fprintf(stderr, "rdkernel proxy: %s\n", error.c_str());
    return 1;
  }
  proxy::ProxyState header;
  header.proxyPid = getpid();
  header.binds = server.boundUrls();
  header.launcher = launcher->name();
  const std::string statePath = stateDir + "/state.json";
  auto writeState = [&] {
    proxy::writeStateFile(statePath, proxy::stateJson(header, sessions.list(), monotonicUs()));
  };
  sessions.setOnChange(writeState);
  // Sessions an earlier proxy left running (it crashed, or stopped with --keep-sessions) are
  // found again from their records (child launcher) and served as if this proxy had started them.
  for (const proxy::AdoptedSession& found : launcher->adopt()) {
    bool known = false;
    try {
      known = proxy::UsersFile::load(*usersPath).find(found.user) != nullptr;
    } catch (const std::exception&) {
    }
    if (!known) {
      std::printf("proxy: %s left the users file: stopping the session (%s) of an earlier proxy\n",
                  found.user.c_str(), found.session.handle.c_str());
      launcher->stop(found.session);
      continue;
    }
    sessions.adopt(found, monotonicUs());
    std::printf("proxy: adopted %s's session (%s on %s:%d) from an earlier proxy\n",
                found.user.c_str(), found.session.handle.c_str(), found.session.host.c_str(),
                found.session.port);
  }
  writeState();
  for (const std::string& url : server.boundUrls())
    std::printf("listening on %s (proxy, %s sessions)\n", url.c_str(), launcher->name().c_str());
  std::fflush(stdout);
  // The state file also carries idle times, so it is rewritten while the proxy runs.
  std::atomic<bool> stateStop{false};
  std::thread stateWriter([&] {
    while (!stateStop.load() && !stopFlag().load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      writeState();
    }
  });
  server.run(stopFlag());
  stateStop.store(true);
  stateWriter.join();
  // Supervised children end with the proxy unless --keep-sessions (then the next proxy adopts
  // them from their records); systemd units and pods outlive a proxy restart (that is their
  // point), so they are left running (a new proxy replaces them at the next login).
  if (!systemd && launcherName != "kubernetes" && !keepSessions)
    sessions.stopAll();
  writeState();
  std::printf("proxy stopped: %llu connections, %llu forwarded, %llu refused logins\n",
              static_cast<unsigned long long>(server.stats().connections.load()),
              static_cast<unsigned long long>(server.stats().forwarded.load()),
              static_cast<unsigned long long>(server.stats().authFailures.load()));
  return 0;
}

}  // namespace rdk::cli
