// One session per user: found when running, started on demand, reaped when it ends, stopped
// after an idle time with no connection. No sockets and no clocks inside: the caller passes the
// time, a SessionLauncher does the starting, so tests drive it with a fake launcher.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rdk/proxy/session_launcher.h"

namespace rdk::proxy {

struct SessionRecord {
  std::string user;
  LaunchedSession session;
  std::string token;
  uint64_t startedUs = 0;
  uint64_t lastActiveUs = 0;  // last connection end or forwarded byte
  int connections = 0;
  uint64_t generation = 0;  // how many sessions this user has had
};

struct RegistrySettings {
  /// A session without connections for this long is stopped; 0 = never.
  uint64_t idleTimeoutUs = 0;
};

class SessionRegistry {
 public:
  using TokenSource = std::function<std::string()>;
  SessionRegistry(SessionLauncher& launcher, RegistrySettings settings, TokenSource tokens);

  /// The user's running session with one more connection counted, starting one when there is
  /// none or the last one ended. Concurrent calls for one user share one launch; other users
  /// are not held up by it. nullopt with |error| when the launch failed.
  std::optional<SessionRecord> acquire(const UserEntry& user, uint64_t nowUs, std::string* error);
  /// A connection of |user| ended.
  void release(const std::string& user, uint64_t nowUs);
  /// Traffic on a connection of |user|.
  void touch(const std::string& user, uint64_t nowUs);
  /// Forgets sessions that ended and stops idle ones; returns "user: why" per removal.
  std::vector<std::string> reap(uint64_t nowUs);
  /// A running session the launcher found again at the proxy's start (SessionLauncher::adopt).
  void adopt(const AdoptedSession& session, uint64_t nowUs);
  /// Stops every session (proxy shutdown).
  void stopAll();
  std::vector<SessionRecord> list() const;
  /// Called (outside the lock) after every change, e.g. to rewrite the --list state file.
  void setOnChange(std::function<void()> callback) { onChange_ = std::move(callback); }

 private:
  struct Slot {
    std::optional<SessionRecord> record;
    bool launching = false;
    uint64_t generation = 0;
  };
  void changed();

  SessionLauncher& launcher_;
  const RegistrySettings settings_;
  TokenSource tokens_;
  std::function<void()> onChange_;
  mutable std::mutex mutex_;
  std::condition_variable launched_;
  std::map<std::string, Slot> slots_;
};

/// 32 random bytes as hex, from the OS.
std::string randomToken();

}  // namespace rdk::proxy
