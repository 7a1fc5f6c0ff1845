// SIGHUP: the configuration file read again and applied to the running server without dropping
// a session. A bad file changes nothing; keys set only at start-up keep their running value and
// are named in the log (config::ReloadPlan says which are which).
#include <Poco/Logger.h>

#include <algorithm>
#include <optional>

#include "rdk/config/config.h"
#include "rdk/config/reload_plan.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/server.h"
#include "server_listener.h"

namespace rdk::session {

/// A bind's new authentication, checked before anything changes.
struct AuthUpdate {
  Server::Listener* listener = nullptr;
  std::string module;
  std::string optionsJson;
  plugin::LoadedPlugin* plugin = nullptr;  // null for "none"
};

bool Server::prepareAuth(const config::Config& next, std::vector<AuthUpdate>* updates,
                         std::string* error) {
  for (const auto& listener : listeners_) {
    if (listener->retired.load())
      continue;
    const BindSpec spec = BindSpec::fromConfig(listener->requestedUrl, next);
    const BindSpec& running = listener->binding.spec;
    if (spec.authModule == running.authModule && spec.authOptionsJson == running.authOptionsJson)
      continue;
    AuthUpdate update{listener.get(), spec.authModule, spec.authOptionsJson, nullptr};
    if (spec.authModule != "none") {
      std::string why;
      update.plugin = registry_.select(plugin::Kind::Auth, spec.authModule, &why);
      if (!update.plugin) {
        *error = listener->requestedUrl + ": no auth plugin for '" + spec.authModule + "': " + why;
        return false;
      }
      std::string createError;
      if (!plugin::AuthenticatorObject::create(*update.plugin, spec.authModule,
                                               spec.authOptionsJson, &createError)) {
        *error = listener->requestedUrl + ": " + createError;
        return false;
      }
    }
    updates->push_back(std::move(update));
  }
  return true;
}

void Server::applyBinds(ReloadReport& report) {
  auto& log = Poco::Logger::get("rdk.server");
  if (!bindsFromConfig_) {
    report.changes.push_back("server.bind: the binds came from the command line (--bind), kept");
    return;
  }
  std::vector<std::string> wanted;
  if (defaultBinds_ || config_.isSet("server.bind"))
    wanted = config_.getList("server.bind");
  wanted.insert(wanted.end(), fixedUrls_.begin(), fixedUrls_.end());
  std::vector<std::string> missing;
  {
    std::lock_guard<std::mutex> lock(acceptMutex_);
    for (const auto& listener : listeners_) {
      const bool keep =
          std::find(wanted.begin(), wanted.end(), listener->requestedUrl) != wanted.end();
      if (!keep && !listener->retired.exchange(true)) {
        report.retired.push_back(listener->binding.boundUrl);
      } else if (keep && listener->retired.exchange(false)) {
        log.information("bind %s accepts again: it is back in server.bind",
                        listener->binding.boundUrl);
      }
    }
    for (const std::string& url : wanted) {
      const bool bound = std::any_of(listeners_.begin(), listeners_.end(), [&](const auto& l) {
        return l->requestedUrl == url && !l->retired.load();
      });
      if (!bound)
        missing.push_back(url);
    }
  }
  for (const std::string& url : report.retired)
    log.information("bind %s removed: it accepts no one new, its sessions go on", url);
  for (const std::string& url : missing) {
    std::string error;
    if (bind(url, &error)) {
      std::lock_guard<std::mutex> lock(acceptMutex_);
      report.bound.push_back(listeners_.back()->binding.boundUrl);
      log.information("listening on %s (added by a reload)", report.bound.back());
    } else {
      report.failed.push_back(error);
      log.error("reload: %s", error);
    }
  }
}

void Server::reapRetiredListeners() {
  std::vector<std::unique_ptr<Listener>> closing;
  {
    std::lock_guard<std::mutex> lock(acceptMutex_);
    for (auto it = listeners_.begin(); it != listeners_.end();) {
      const Binding* binding = &(*it)->binding;
      auto usesIt = [binding](const std::unique_ptr<ServerSession>& s) {
        return &s->binding() == binding;
      };
      if ((*it)->retired.load() && std::none_of(sessions_.begin(), sessions_.end(), usesIt) &&
          std::none_of(accepted_.begin(), accepted_.end(), usesIt)) {
        closing.push_back(std::move(*it));
        it = listeners_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // Destroyed outside acceptMutex_: destroying joins the accept thread, which may be waiting
  // for that mutex inside onAccept.
  for (const auto& listener : closing) {
    Poco::Logger::get("rdk.server")
        .information("bind %s closed: removed by a reload, its last session ended",
                     listener->binding.boundUrl);
  }
}

void Server::reload() {
  auto& log = Poco::Logger::get("rdk.server");
  ReloadReport report;
  {
    std::lock_guard<std::mutex> lock(reloadMutex_);
    report.applied = reloadReport_.applied;
    report.refused = reloadReport_.refused;
  }
  const std::string source =
      config_.sourceFile().empty() ? "(no configuration file)" : config_.sourceFile();
  std::string error;
  std::optional<config::Config> next;
  config::ReloadPlan plan;
  std::vector<AuthUpdate> authUpdates;
  try {
    next = config_.reread();
    plan = config::planReload(config_, *next);
    if (plan.has(config::ReloadEffect::Auth))
      prepareAuth(*next, &authUpdates, &error);
  } catch (const std::exception& e) {  // ConfigError: FILE:LINE: key: why
    error = e.what();
  }
  if (!error.empty()) {
    ++report.refused;
    report.error = error;
    log.error("configuration reload refused, nothing changed: %s", error);
  } else {
    ++report.applied;
    report.changes = plan.describe();
    config_.adopt(*next, plan.adoptedKeys());
    admission_.setLimits(admissionLimits(config_));
    authThrottle_.setSettings(throttleSettings(config_));
    for (const std::string& line : report.changes)
      log.information("reload: %s", line);
    if (plan.changes.empty())
      log.information("reload: %s has no change", source);
    for (const config::KeyChange& change : plan.changes) {
      if (change.key == "logging.level")
        Poco::Logger::setLevel("", Poco::Logger::parseLevel(change.after));
    }
    for (const AuthUpdate& update : authUpdates) {
      // Loop thread: sessions read their binding here, when they challenge a client.
      update.listener->binding.spec.authModule = update.module;
      update.listener->binding.spec.authOptionsJson = update.optionsJson;
      update.listener->binding.authPlugin = update.plugin;
      log.information("bind %s: new connections authenticate with '%s'",
                      update.listener->binding.boundUrl, update.module);
    }
    if (plan.has(config::ReloadEffect::Binds))
      applyBinds(report);
  }
  std::lock_guard<std::mutex> lock(reloadMutex_);
  reloadReport_ = std::move(report);
}

ReloadReport Server::lastReload() const {
  std::lock_guard<std::mutex> lock(reloadMutex_);
  return reloadReport_;
}

}  // namespace rdk::session
