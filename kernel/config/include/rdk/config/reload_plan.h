// What a reloaded configuration (SIGHUP) changes in a running server, key by key: applied at
// once, applied to the binds, or waiting for a restart. Pure logic: the server acts on the plan.
#pragma once

#include <string>
#include <vector>

#include "rdk/config/config.h"

namespace rdk::config {

enum class ReloadEffect {
  /// Read as the server goes (limits, deadlines, encodings, logging level): every connection
  /// accepted after the reload gets it; sessions already running keep what they started with.
  Live,
  /// server.bind: new addresses are bound, removed ones stop accepting (their sessions stay).
  Binds,
  /// server.auth, server.auth.<scheme>: new connections authenticate the new way; sessions
  /// already logged in (or already challenged) stay as they are.
  Auth,
  /// Set when the server starts (platform, desktop, threads, transports' options, plugins, ...):
  /// the running value stays until a restart.
  Restart,
  /// Not read by a server (client.*, demo.*): taken, nothing to do.
  NotServer,
};

/// How a change of |key| reaches a running server.
ReloadEffect reloadEffect(const std::string& key);
/// "live", "binds", "auth", "restart", "not-server".
const char* reloadEffectName(ReloadEffect effect);

struct KeyChange {
  std::string key;
  std::string before;  // the running value (its default when unset)
  std::string after;
  ReloadEffect effect = ReloadEffect::Restart;
};

struct ReloadPlan {
  std::vector<KeyChange> changes;  // key order

  bool has(ReloadEffect effect) const;
  /// The keys the server takes from the new configuration: every change but Restart.
  std::vector<std::string> adoptedKeys() const;
  /// The keys kept at their running value until a restart.
  std::vector<std::string> restartKeys() const;
  /// One line per change, for the log: "server.max-clients 8 -> 4 (live)".
  std::vector<std::string> describe() const;
};

/// Every key (kernel or declared by a plugin) whose value differs between |running| and |next|.
ReloadPlan planReload(const Config& running, const Config& next);

}  // namespace rdk::config
