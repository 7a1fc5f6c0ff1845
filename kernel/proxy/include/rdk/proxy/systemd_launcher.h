// Sessions as transient systemd units (`systemd-run --user`, or the system manager with --uid
// when the users file names another user and the proxy is root): systemd supervises, restarts
// nothing, collects the unit when it ends, and keeps the session when the proxy restarts. The
// port is chosen by the proxy (a free loopback port) because systemd keeps the unit's output.
// Commands go through a CommandRunner so the unit logic is tested without systemd.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rdk/proxy/session_launcher.h"

namespace rdk::proxy {

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  /// Runs |argv| to completion; returns its exit code (-1 when it could not run).
  virtual int run(const std::vector<std::string>& argv) = 0;
};

/// posix_spawnp + waitpid, output to /dev/null.
class SpawnRunner : public CommandRunner {
 public:
  int run(const std::vector<std::string>& argv) override;
};

struct SystemdLauncherOptions {
  std::string program;
  std::vector<std::string> extraArgs;
  int startTimeoutMs = 30000;
  /// A free loopback port; replaced in tests.
  std::function<int()> freePort;
  /// True once host:port accepts a TCP connection; replaced in tests.
  std::function<bool(const std::string&, int)> reachable;
  /// Sessions also bind udp://127.0.0.1 on the same port number as their tcp bind (the proxy
  /// listens on udp:// or dtls://; TCP and UDP ports are separate spaces, and a session that
  /// cannot bind it ends at start, which the proxy reports).
  bool udp = false;
  /// Sessions also bind ws://127.0.0.1 on a second free port (the proxy listens on ws:// or
  /// wss://; WebSocket frames pass through to it).
  bool ws = false;
};

class SystemdLauncher : public SessionLauncher {
 public:
  SystemdLauncher(SystemdLauncherOptions options, CommandRunner& runner);
  std::string name() const override { return "systemd"; }
  bool launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
              std::string* error) override;
  bool alive(const LaunchedSession& session) override;
  void stop(const LaunchedSession& session) override;

  /// The systemd-run command line for |user| (public for the tests).
  std::vector<std::string> runCommand(const UserEntry& user, const std::string& token,
                                      const std::string& unit, int port, int wsPort = 0) const;
  /// Whether this host runs systemd as init with a user manager reachable.
  static bool available();

 private:
  std::vector<std::string> systemctl(const UserEntry* user, const std::string& verb,
                                     const std::string& unit) const;
  bool systemInstance(const UserEntry& user) const;

  SystemdLauncherOptions options_;
  CommandRunner& runner_;
  unsigned serial_ = 0;
};

/// A free loopback TCP port (bound and released: another process may take it in between; the
/// session then fails to bind and the launch reports it).
int freeLoopbackPort();
/// Whether a TCP connection to host:port succeeds within 1 s.
bool tcpReachable(const std::string& host, int port);

}  // namespace rdk::proxy
