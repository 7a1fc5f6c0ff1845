// A supervised session's record on disk (<state-dir>/<user>.session, mode 0600), so that a proxy
// started again finds the sessions of the one before it (ChildLauncher::adopt): where the
// session listens, its process, and the token the proxy logs in with (which is why the file is
// private). The process start time guards against a recycled pid: a record whose pid now names
// another process (or none) is dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rdk/proxy/session_launcher.h"

namespace rdk::proxy {

struct SavedSession {
  std::string user;
  LaunchedSession session;
  std::string token;
  uint64_t processStart = 0;  // /proc/PID/stat start time, clock ticks after boot
};

/// "key=value" lines.
std::string formatSavedSession(const SavedSession& saved);
/// nullopt when a field is missing or malformed (a record cut short by a crash is ignored).
std::optional<SavedSession> parseSavedSession(const std::string& text);

/// The start time of process |pid| (field 22 of /proc/PID/stat), 0 when there is none.
uint64_t processStartTime(int64_t pid);

}  // namespace rdk::proxy
