// The rdkernel server: opens the platform, binds every configured address with its transport
// plugin and authentication, accepts clients and runs all sessions on one loop thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/session/admission_control.h"
#include "rdk/session/auth_throttle.h"
#include "rdk/session/auth_worker.h"
#include "rdk/session/desktop.h"
#include "rdk/session/loop_wakeup.h"
#include "rdk/session/server_context.h"
#include "rdk/session/server_metrics.h"
#include "rdk/session/server_session.h"

namespace rdk::session {

struct ServerSummary {
  uint64_t clientsAccepted = 0;
  uint64_t clientsRefused = 0;  // told "too many connections" or closed at accept
  uint64_t clientsEvicted = 0;  // idle unauthenticated connections closed to make room
  uint64_t draws = 0;
  uint64_t drawBytes = 0;
  uint64_t lost = 0;
  uint64_t superseded = 0;
  uint64_t redamaged = 0;
  uint64_t keyframes = 0;
  bool sharedEncodingEnabled = false;
  SharedEncodingStats sharedEncoding;  // server.shared-encoding counters (all zero when off)
  std::map<uint32_t, uint64_t> desktopEvents;
  // Finished sessions' draws and encoder time per encoding (running ones: Server::metrics()).
  std::map<std::string, uint64_t> drawsPerEncoding;
  std::map<std::string, uint64_t> encodeUsPerEncoding;
};

struct AuthUpdate;

/// What the last configuration reload did (SIGHUP), for the log, tests and /metrics.
struct ReloadReport {
  uint64_t applied = 0;              // reloads taken so far
  uint64_t refused = 0;              // reloads refused so far (nothing changed)
  std::string error;                 // why the last one was refused ("" when it was applied)
  std::vector<std::string> changes;  // the last plan, one line per key (ReloadPlan::describe)
  std::vector<std::string> bound;    // binds added by the last reload (their bound URLs)
  std::vector<std::string> retired;  // binds removed by it (they stop accepting)
  std::vector<std::string> failed;   // binds it could not add, with the reason
};

class Server {
 public:
  /// |config| is the running configuration: a reload (run()'s |reload| flag) updates it in
  /// place, so it must outlive the server.
  Server(config::Config& config, plugin::Registry& registry);
  ~Server();

  /// Opens the platform and binds |urls|; false and |error| when any of it fails.
  bool start(const std::vector<std::string>& urls, std::string* error);
  /// Actual addresses (port 0 resolved).
  std::vector<std::string> boundUrls() const;
  /// server.bind is what was bound (not a --bind list): a reload may add and remove binds.
  /// |fixedUrls| are bound as well and stay whatever the file says (a session's socket);
  /// |defaultBinds|: server.bind's default counts when the file does not set it (false for a
  /// session, which binds no TCP port unless asked).
  void setBindsFromConfig(std::vector<std::string> fixedUrls, bool defaultBinds) {
    bindsFromConfig_ = true;
    fixedUrls_ = std::move(fixedUrls);
    defaultBinds_ = defaultBinds;
  }
  /// Runs until |stop| becomes true, then says goodbye to every client (drain()). Whenever
  /// |reload| is found true it is cleared and the configuration file is read again (reload()).
  void run(const std::atomic<bool>& stop, std::atomic<bool>* reload = nullptr);
  /// Loop thread (run() calls it): reads the configuration file again and applies what can be
  /// applied without dropping a session (config::ReloadPlan); a bad file changes nothing.
  void reload();
  ReloadReport lastReload() const;
  ServerSummary summary() const;
  /// What /metrics shows (server.metrics-bind): the loop's snapshot, at most a second old. Any
  /// thread.
  ServerMetrics metrics() const;
  /// What was refused so far, by reason (live; metrics() has it as of the last publish).
  const RefusalCounters& refusals() const { return refusals_; }
  size_t sessionCount() const;

 private:
  struct Listener;
  friend struct AuthUpdate;
  /// Binds |url| with its transport and auth plugins (start, reload).
  bool bind(const std::string& url, std::string* error);
  /// Reload steps (server_reload.cpp), on the loop thread.
  void applyBinds(ReloadReport& report);
  bool prepareAuth(const config::Config& next, std::vector<AuthUpdate>* updates,
                   std::string* error);
  /// Destroys removed binds once no session came through them.
  void reapRetiredListeners();
  static const rdk_connection_callbacks* onAccept(void* host, rdk_connection* connection,
                                                  const char* peer);
  void broadcast(const rdk_window_event& event, const ServerWindow* window);
  void collect(const ServerSession& session);
  /// Loop thread, once a second: the snapshot metrics() returns.
  void publishMetrics();
  /// After the loop stops: every client is told "server shutdown" (as Xpra servers say it) and
  /// the transports get server.shutdown-grace to deliver that before the sessions go.
  void drain();
  /// Under acceptMutex_: the session with |id| among the accepted and running ones.
  ServerSession* findSessionLocked(uint64_t id);

  config::Config& config_;
  plugin::Registry& registry_;
  bool bindsFromConfig_ = false;
  bool defaultBinds_ = true;
  std::vector<std::string> fixedUrls_;
  mutable std::mutex reloadMutex_;
  ReloadReport reloadReport_;  // under reloadMutex_
  LoopWakeup wakeup_;
  AdmissionControl admission_;
  AuthThrottle authThrottle_;
  std::unique_ptr<AuthWorker> authWorker_;  // after the throttle and the wakeup it uses
  RefusalCounters refusals_;
  uint64_t nextConnectionId_ = 1;  // under acceptMutex_
  // Before the desktop: the applications it started go before their sound server.
  std::unique_ptr<audio::OpusSource> sound_;  // server.sound; null when off
  std::unique_ptr<Desktop> desktop_;
  std::unique_ptr<class ServerClipboard> clipboard_;  // after the desktop (uses its platform)
  std::unique_ptr<EncodePool> encodePool_;  // outlives the sessions (cleared first in ~Server)
  std::unique_ptr<EncodedPictureCache> sharedEncoding_;  // null when server.shared-encoding=false
  std::unique_ptr<ServerContext> context_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  mutable std::mutex acceptMutex_;
  std::vector<std::unique_ptr<ServerSession>> accepted_;
  std::vector<std::unique_ptr<ServerSession>> sessions_;
  mutable std::mutex summaryMutex_;
  ServerSummary summary_;
  mutable std::mutex metricsMutex_;
  ServerMetrics metrics_;  // under metricsMutex_
  uint64_t nowUs_ = 0;
  std::string lastPlatformError_;
};

}  // namespace rdk::session
