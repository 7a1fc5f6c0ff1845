#include "rdk/proxy/systemd_launcher.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "rdk/proxy/session_command.h"

extern char** environ;

namespace rdk::proxy {

int SpawnRunner::run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

SystemdLauncher::SystemdLauncher(SystemdLauncherOptions options, CommandRunner& runner)
    : options_(std::move(options)), runner_(runner) {
  if (!options_.freePort)
    options_.freePort = freeLoopbackPort;
  if (!options_.reachable)
    options_.reachable = tcpReachable;
}

bool SystemdLauncher::systemInstance(const UserEntry& user) const {
  return user.uid.has_value() && *user.uid != getuid();
}

std::vector<std::string> SystemdLauncher::runCommand(const UserEntry& user,
                                                     const std::string& token,
                                                     const std::string& unit, int port,
                                                     int wsPort) const {
  std::vector<std::string> argv{"systemd-run"};
  if (systemInstance(user)) {
    argv.push_back("--uid=" + std::to_string(*user.uid));
    if (user.gid)
      argv.push_back("--gid=" + std::to_string(*user.gid));
  } else {
    argv.push_back("--user");
  }
  argv.insert(argv.end(), {"--unit=" + unit, "--collect", "--quiet", "--property=KillMode=mixed"});
  for (const std::string& env : sessionEnvironment(user, token, options_.udp))
    argv.push_back("--setenv=" + env);
  argv.push_back("--");
  const std::vector<std::string> session = sessionCommand(
      options_.program, options_.extraArgs, user, "tcp://127.0.0.1:" + std::to_string(port),
      options_.udp ? "udp://127.0.0.1:" + std::to_string(port) : "",
      wsPort > 0 ? "ws://127.0.0.1:" + std::to_string(wsPort) : "");
  argv.insert(argv.end(), session.begin(), session.end());
  return argv;
}

std::vector<std::string> SystemdLauncher::systemctl(const UserEntry* user, const std::string& verb,
                                                    const std::string& unit) const {
  std::vector<std::string> argv{"systemctl"};
  if (!user || !systemInstance(*user))
    argv.push_back("--user");
  argv.push_back(verb);
  if (verb == "is-active")
    argv.push_back("--quiet");
  argv.push_back(unit);
  return argv;
}

bool SystemdLauncher::launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
                             std::string* error) {
  std::string safe;
  for (char c : user.name)
    safe.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  const std::string unit = "rdkernel-session-" + safe + "-" + std::to_string(getpid()) + "-" +
                           std::to_string(++serial_) + ".service";
  const int port = options_.freePort();
  int wsPort = options_.ws ? options_.freePort() : 0;
  for (int i = 0; options_.ws && wsPort == port && i < 10; ++i)
    wsPort = options_.freePort();
  if (port <= 0 || (options_.ws && (wsPort <= 0 || wsPort == port))) {
    *error = "no free loopback port";
    return false;
  }
  const int rc = runner_.run(runCommand(user, token, unit, port, wsPort));
  if (rc != 0) {
    *error = "systemd-run failed (exit " + std::to_string(rc) + ")";
    return false;
  }
  out->host = "127.0.0.1";
  out->port = port;
  out->udpPort = options_.udp ? port : 0;
  out->wsPort = wsPort;
  out->handle = unit;
  out->log = "journalctl " + std::string(systemInstance(user) ? "" : "--user ") + "-u " + unit;
  // A marker the stop/alive commands read back: whether the unit is in the system manager.
  out->pid = systemInstance(user) ? -1 : 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.startTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (options_.reachable(out->host, port) &&
        (wsPort == 0 || options_.reachable(out->host, wsPort)))
      return true;
    if (!alive(*out)) {
      *error = "the unit ended at start (" + out->log + ")";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop(*out);
  *error = "the session did not listen on port " + std::to_string(port) + " within " +
           std::to_string(options_.startTimeoutMs / 1000) + " s (" + out->log + ")";
  return false;
}

bool SystemdLauncher::alive(const LaunchedSession& session) {
  UserEntry marker;
  if (session.pid == -1)
    marker.uid = getuid() + 1;  // any other uid selects the system manager
  return runner_.run(systemctl(&marker, "is-active", session.handle)) == 0;
}

void SystemdLauncher::stop(const LaunchedSession& session) {
  UserEntry marker;
  if (session.pid == -1)
    marker.uid = getuid() + 1;
  runner_.run(systemctl(&marker, "stop", session.handle));
}

bool SystemdLauncher::available() {
  struct stat st {};
  if (stat("/run/systemd/system", &st) != 0)
    return false;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  return runtime && stat((std::string(runtime) + "/bus").c_str(), &st) == 0;
}

int freeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

bool tcpReachable(const std::string& host, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1;
  if (ok && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ok = errno == EINPROGRESS;
    if (ok) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      ok = poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
           err == 0;
    }
  }
  close(fd);
  return ok;
}

}  // namespace rdk::proxy
