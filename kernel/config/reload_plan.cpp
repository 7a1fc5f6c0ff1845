// The reload classes of the keys. A key is Live only when every place that reads it reads the
// Config again at the moment it acts (a new connection, a hello, a ping), never a copy taken at
// start-up; everything else is Restart, so a reload never claims what it did not do.
#include "rdk/config/reload_plan.h"

#include <algorithm>
#include <set>

#include "rdk/config/schema.h"

namespace rdk::config {
namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// Checked against the readers in kernel/session: Server::onAccept, a new ServerSession (its
// pre-auth limits, pings, window quota, encoder settings), negotiation, drain; the admission and
// throttle settings and the logging level are pushed by Server::reload. Not here:
// server.ping-timeout (also the transport's idle timeout, fixed when its bind was made) and
// <kind>.<plugin>.* settings (the plugin registry keeps the configuration it was given at
// start-up, and plugins read their settings once).
const std::set<std::string>& liveKeys() {
  static const std::set<std::string> keys = {
      "server.max-clients",
      "server.max-pending",
      "server.max-pending-per-address",
      "server.hello-timeout",
      "server.auth-timeout",
      "server.max-hello-size",
      "server.auth-failure-delay",
      "server.auth-max-failure-delay",
      "server.ping-interval",
      "server.max-windows",
      "server.max-window-size",
      "server.encodings",
      "server.shutdown-grace",
      "encoder.quality",
      "encoder.speed",
      "encoder.keyframe-interval",
      "encoder.udp-keyframe-interval",
      "encoder.auto-refresh-delay",
      "encoder.min-video-pixels",
      "keyboard.apply-layout",
      "logging.level",
  };
  return keys;
}

std::string valueOf(const Config& config, const std::string& key) {
  return config.find(key).value_or("");
}

}  // namespace

ReloadEffect reloadEffect(const std::string& key) {
  if (key == "server.bind")
    return ReloadEffect::Binds;
  // auth.<plugin>.* are read by the plugin once, through the registry: Restart.
  if (key == "server.auth" || startsWith(key, "server.auth."))
    return ReloadEffect::Auth;
  if (liveKeys().count(key))
    return ReloadEffect::Live;
  if (startsWith(key, "client.") || startsWith(key, "demo."))
    return ReloadEffect::NotServer;
  return ReloadEffect::Restart;
}

const char* reloadEffectName(ReloadEffect effect) {
  switch (effect) {
    case ReloadEffect::Live:
      return "live";
    case ReloadEffect::Binds:
      return "binds";
    case ReloadEffect::Auth:
      return "auth";
    case ReloadEffect::Restart:
      return "restart";
    case ReloadEffect::NotServer:
      return "not-server";
  }
  return "restart";  // unreachable: every enumerator is named above
}

bool ReloadPlan::has(ReloadEffect effect) const {
  return std::any_of(changes.begin(), changes.end(),
                     [effect](const KeyChange& c) { return c.effect == effect; });
}

std::vector<std::string> ReloadPlan::adoptedKeys() const {
  std::vector<std::string> keys;
  for (const KeyChange& change : changes) {
    if (change.effect != ReloadEffect::Restart)
      keys.push_back(change.key);
  }
  return keys;
}

std::vector<std::string> ReloadPlan::restartKeys() const {
  std::vector<std::string> keys;
  for (const KeyChange& change : changes) {
    if (change.effect == ReloadEffect::Restart)
      keys.push_back(change.key);
  }
  return keys;
}

std::vector<std::string> ReloadPlan::describe() const {
  std::vector<std::string> lines;
  for (const KeyChange& c : changes) {
    std::string line = c.key + " '" + c.before + "' -> '" + c.after + "' (";
    line += c.effect == ReloadEffect::Restart ? "needs a restart: the running value stays"
                                              : reloadEffectName(c.effect);
    lines.push_back(line + ")");
  }
  return lines;
}

ReloadPlan planReload(const Config& running, const Config& next) {
  std::set<std::string> keys;
  for (const SchemaEntry& entry : schema())
    keys.insert(entry.key);
  for (const Config* config : {&running, &next}) {
    for (const PluginSetting& setting : config->pluginSettings())
      keys.insert(setting.key);
    for (const auto& [key, value] : config->explicitValues())
      keys.insert(key);
  }
  ReloadPlan plan;
  for (const std::string& key : keys) {
    const std::string before = valueOf(running, key);
    const std::string after = valueOf(next, key);
    if (before != after)
      plan.changes.push_back({key, before, after, reloadEffect(key)});
  }
  return plan;
}

}  // namespace rdk::config
