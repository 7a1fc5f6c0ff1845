// What `rdkernel proxy --list` shows: the running proxy rewrites a small JSON file in its state
// directory whenever its sessions change (and once a second while it runs); --list reads it
// with the users file, so listing needs no socket and works as any user allowed to read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rdk/proxy/session_registry.h"
#include "rdk/proxy/users_file.h"

namespace rdk::proxy {

struct ProxyState {
  int64_t proxyPid = 0;
  std::vector<std::string> binds;
  std::string launcher;
  uint64_t writtenMs = 0;  // wall clock
  struct Session {
    std::string user, host, handle, log;
    int port = 0;
    int64_t pid = 0;
    int connections = 0;
    uint64_t uptimeS = 0, idleS = 0;
  };
  std::vector<Session> sessions;
};

/// The state as JSON text; |nowUs| (monotonic) gives uptimes and idle times of |records|.
std::string stateJson(const ProxyState& header, const std::vector<SessionRecord>& records,
                      uint64_t nowUs);
/// Writes |json| to |path| atomically (temporary file + rename), mode 0600.
bool writeStateFile(const std::string& path, const std::string& json);
/// Parses a state file's text; throws std::runtime_error when it is not one.
ProxyState parseState(const std::string& json);
/// The --list table: every user of |users| (empty: only those in |state|) with their session.
/// |proxyRunning| says whether the state's proxy is still alive.
std::string listTable(const ProxyState& state, const std::vector<UserEntry>& users,
                      bool proxyRunning);

}  // namespace rdk::proxy
