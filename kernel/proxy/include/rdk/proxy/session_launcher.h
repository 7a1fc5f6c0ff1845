// How the proxy gets a user's session running: a supervised child process, a systemd user unit,
// (later) a Kubernetes pod. The registry decides when; a launcher only knows how.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rdk/proxy/users_file.h"

namespace rdk::proxy {

/// A running session as its launcher knows it.
struct LaunchedSession {
  std::string host = "127.0.0.1";
  int port = 0;
  int udpPort = 0;     // the session's udp bind, 0 when it has none (the proxy has no udp bind)
  int wsPort = 0;      // its ws bind (for ws:// and wss:// clients), 0 when it has none
  int64_t pid = 0;     // 0 when the launcher does not own a local process
  std::string handle;  // the launcher's own name for it (unit name, pod name)
  std::string log;     // where its output goes, for messages
};

/// A session a previous proxy started that still runs, with the token to log in to it.
struct AdoptedSession {
  std::string user;
  LaunchedSession session;
  std::string token;
};

class SessionLauncher {
 public:
  virtual ~SessionLauncher() = default;
  virtual std::string name() const = 0;
  /// Starts |user|'s session, whose binds accept only |token| (the proxy answers their challenge
  /// with it), and returns once it accepts connections; false with the reason in |error|.
  virtual bool launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
                      std::string* error) = 0;
  /// False once the session has ended (exited, unit inactive); never blocks for long.
  virtual bool alive(const LaunchedSession& session) = 0;
  /// Ends it (idle timeout, proxy shutdown); returns when it is gone or after a short grace.
  virtual void stop(const LaunchedSession& session) = 0;
  /// At the proxy's start: the sessions an earlier proxy left running that this launcher can
  /// find again (none by default).
  virtual std::vector<AdoptedSession> adopt() { return {}; }
};

}  // namespace rdk::proxy
