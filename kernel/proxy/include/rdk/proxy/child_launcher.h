// Sessions as supervised children of the proxy: fork + exec `rdkernel serve|start` on a private
// loopback port the kernel picks (port 0; the child prints which), output to a log file per
// user, its own process group (so stopping it also stops the Xvfb of a `start` session). As root,
// the child takes the user's uid/gid from the users file before exec. Each session also has a
// record, <logDir>/<user>.session (session_record_file.h): a proxy started again adopts the
// sessions that still run (a crashed proxy, or one stopped with --keep-sessions).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/proxy/session_launcher.h"

namespace rdk::proxy {

struct ChildLauncherOptions {
  std::string program;                 // the rdkernel executable
  std::vector<std::string> extraArgs;  // e.g. {"--config", FILE}
  std::string logDir;                  // <logDir>/<user>.log
  int startTimeoutMs = 30000;
  /// Sessions also bind udp://127.0.0.1:0 (the proxy listens on udp://).
  bool udp = false;
  /// Sessions also bind ws://127.0.0.1:0 (the proxy listens on ws:// or wss://).
  bool ws = false;
};

class ChildLauncher : public SessionLauncher {
 public:
  explicit ChildLauncher(ChildLauncherOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "child"; }
  bool launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
              std::string* error) override;
  bool alive(const LaunchedSession& session) override;
  void stop(const LaunchedSession& session) override;
  std::vector<AdoptedSession> adopt() override;

 private:
  std::string recordPath(const std::string& user) const;
  void forget(const LaunchedSession& session);
  /// Sessions of an earlier proxy (not our children: no waitpid): pid -> process start time.
  bool adopted(int64_t pid, uint64_t* start);

  ChildLauncherOptions options_;
  std::mutex mutex_;
  std::map<int64_t, uint64_t> adopted_;
};

}  // namespace rdk::proxy
