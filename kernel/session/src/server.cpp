#include "rdk/session/server.h"

#include "rdk/session/server_clipboard.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <random>

#include "rdk/base/clock.h"
#include "rdk/config/config.h"
#include "rdk/encoding/damage_poll.h"
#include "rdk/kernel/host_services.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/peer_host.h"
#include "rdk/session/server_sound.h"
#include "server_listener.h"

namespace rdk::session {

namespace {

std::string randomUuid() {
  std::random_device rd;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i)
    out += hex[rd() % 16];
  return out;
}

std::string platformOptions(const config::Config& config) {
  const config::Size size = config.getSize("server.size");
  std::string json = "{\"width\":" + std::to_string(size.width) +
                     ",\"height\":" + std::to_string(size.height) +
                     ",\"fps\":" + std::to_string(config.getInt("server.fps"));
  const std::string display = config.getString("server.display");
  if (!display.empty())
    json += ",\"display\":" + jsonQuote(display);
  if (config.getString("server.platform") == "seamless") {
    // The virtual display and what runs on it (`rdkernel start`).
    auto list = [&](const std::string& key) {
      std::string out = "[";
      for (const std::string& item : config.getList(key))
        out += (out.size() > 1 ? "," : "") + jsonQuote(item);
      return out + "]";
    };
    json += ",\"xvfb\":" + jsonQuote(config.getString("server.xvfb")) +
            ",\"start\":" + list("server.start") +
            ",\"start_child\":" + list("server.start-child") + ",\"exit_with_children\":" +
            (config.getBool("server.exit-with-children") ? "true" : "false");
  }
  return json + "}";
}

// Connections being told "too many connections" at once, beyond every budget: past this, new
// ones are closed without a word (a flood must not buy itself a session object each).
constexpr size_t kMaxRefusing = 256;

}  // namespace

AdmissionLimits admissionLimits(const config::Config& config) {
  AdmissionLimits limits;
  limits.maxPending = static_cast<size_t>(config.getInt("server.max-pending"));
  limits.maxPendingPerAddress =
      static_cast<size_t>(config.getInt("server.max-pending-per-address"));
  return limits;
}

AuthThrottleSettings throttleSettings(const config::Config& config) {
  AuthThrottleSettings settings;
  settings.baseDelayUs = static_cast<uint64_t>(config.getInt("server.auth-failure-delay")) * 1000;
  settings.maxDelayUs =
      static_cast<uint64_t>(config.getInt("server.auth-max-failure-delay")) * 1000;
  settings.maxDelayUs = std::max(settings.maxDelayUs, settings.baseDelayUs);
  return settings;
}

Server::Server(config::Config& config, plugin::Registry& registry)
    : config_(config),
      registry_(registry),
      admission_(admissionLimits(config)),
      authThrottle_(throttleSettings(config)),
      authWorker_(std::make_unique<AuthWorker>(authThrottle_, wakeup_, &monotonicUs)) {}

Server::~Server() {
  // Listeners first: no accept callback may run while sessions are torn down.
  listeners_.clear();
  sessions_.clear();
  accepted_.clear();
  authWorker_.reset();
}

bool Server::start(const std::vector<std::string>& urls, std::string* error) {
  const std::string platformName = config_.getString("server.platform");
  std::string why;
  plugin::LoadedPlugin* platformPlugin =
      registry_.select(plugin::Kind::Platform, platformName, &why);
  if (!platformPlugin) {
    *error = "no platform plugin for '" + platformName + "': " + why;
    return false;
  }
  sound_ = startServerSound(config_);  // first: it sets PULSE_SERVER for the applications
  auto platform = plugin::PlatformObject::open(*platformPlugin, platformName,
                                               platformOptions(config_), nullptr, error);
  if (!platform)
    return false;
  desktop_ = std::make_unique<Desktop>(std::move(platform), platformName);
  desktop_->platform().setSink(desktop_.get());
  desktop_->setListener([this](const rdk_window_event& event, const ServerWindow* window) {
    broadcast(event, window);
  });
  context_ = std::unique_ptr<ServerContext>(
      new ServerContext{config_, registry_, *desktop_, randomUuid(), monotonicUs(), admission_,
                        authThrottle_, *authWorker_, refusals_});
  if (config_.getBool("server.shared-encoding")) {
    sharedEncoding_ = std::make_unique<EncodedPictureCache>();
    context_->sharedEncoding = sharedEncoding_.get();
  }
  encodePool_ =
      std::make_unique<EncodePool>(static_cast<size_t>(config_.getInt("server.encode-threads")));
  context_->encodePool = encodePool_.get();
  context_->sessions = &sessions_;
  clipboard_ = std::make_unique<ServerClipboard>(
      desktop_->platform(),
      clipboardSettings(config_.getString("clipboard.direction"),
                        config_.getInt("clipboard.max-size"), clipboard::Side::Server));
  context_->clipboard = clipboard_.get();
  context_->sound = sound_.get();
  // Encoders are loaded (and hardware probed, or read from the probe cache) now, not inside the
  // first client's negotiation on the loop: a probe may take seconds, a plugin may be inspected
  // in a child first. One that fails here is passed over later exactly as it would have been.
  const uint64_t loadStartUs = monotonicUs();
  std::vector<std::string> encoderNames;
  for (const plugin::Feature& feature : registry_.features(plugin::Kind::Encoder)) {
    if (plugin::featureEncodes(feature) &&
        std::find(encoderNames.begin(), encoderNames.end(), feature.name) == encoderNames.end()) {
      encoderNames.push_back(feature.name);
      registry_.select(plugin::Kind::Encoder, feature.name, nullptr, plugin::featureEncodes);
    }
  }
  Poco::Logger::get("rdk.server")
      .debug(std::to_string(encoderNames.size()) + " encodings' plugins loaded and probed in " +
             std::to_string(elapsedUs(monotonicUs(), loadStartUs) / 1000) + " ms");
  // First poll: the desktop's initial windows exist before any client says hello.
  nowUs_ = monotonicUs();
  if (!desktop_->poll(nowUs_, error))
    return false;

  for (const std::string& url : urls) {
    if (!bind(url, error))
      return false;
  }
  return true;
}

bool Server::bind(const std::string& url, std::string* error) {
  std::string why;
  auto listener = std::make_unique<Listener>();
  listener->server = this;
  listener->requestedUrl = url;
  listener->binding.spec = BindSpec::fromConfig(url, config_);
  listener->binding.server = this;
  const BindSpec& spec = listener->binding.spec;
  plugin::LoadedPlugin* transport = registry_.select(plugin::Kind::Transport, spec.scheme, &why);
  if (!transport || !transport->descriptor->transport) {
    *error = "cannot bind " + url + ": no transport plugin for '" + spec.scheme + "': " + why;
    return false;
  }
  for (const plugin::Feature& feature : registry_.features(plugin::Kind::Transport)) {
    if (feature.name == spec.scheme) {
      listener->binding.transportSecure = plugin::featureFlag(feature, "secure");
      listener->binding.transportDroppable = plugin::featureFlag(feature, "droppable");
    }
  }
  if (spec.authModule != "none") {
    plugin::LoadedPlugin* auth = registry_.select(plugin::Kind::Auth, spec.authModule, &why);
    if (!auth) {
      *error = "cannot bind " + url + ": no auth plugin for '" + spec.authModule + "': " + why;
      return false;
    }
    // Fail at start, not at the first client, when the module's options are wrong.
    if (!plugin::AuthenticatorObject::create(*auth, spec.authModule, spec.authOptionsJson, error)) {
      return false;
    }
    listener->binding.authPlugin = auth;
  }
  listener->transport = transport->descriptor->transport;
  listener->callbacks.struct_size = sizeof(listener->callbacks);
  listener->callbacks.host_listener = listener.get();
  listener->callbacks.on_accept = &Server::onAccept;
  const rdk_status status =
      listener->transport->listen(transport->state, url.c_str(), spec.transportOptionsJson.c_str(),
                                  &listener->callbacks, &listener->listener);
  if (status != RDK_OK) {
    listener->listener = nullptr;
    *error = "cannot bind " + url + ": " + plugin::pluginFailure(status);
    return false;
  }
  char address[256] = {0};
  if (listener->transport->listener_address(listener->listener, address, sizeof(address)) ==
      RDK_OK) {
    listener->binding.boundUrl = address;
  } else {
    listener->binding.boundUrl = url;
  }
  // Under acceptMutex_: onAccept and the reaper walk the listeners from other threads' view.
  std::lock_guard<std::mutex> lock(acceptMutex_);
  listeners_.push_back(std::move(listener));
  return true;
}

std::vector<std::string> Server::boundUrls() const {
  std::lock_guard<std::mutex> lock(acceptMutex_);
  std::vector<std::string> out;
  for (const auto& l : listeners_) {
    if (!l->retired.load())
      out.push_back(l->binding.boundUrl);
  }
  return out;
}

ServerSession* Server::findSessionLocked(uint64_t id) {
  for (auto* list : {&sessions_, &accepted_}) {
    for (auto& session : *list) {
      if (session->id() == id)
        return session.get();
    }
  }
  return nullptr;
}

const rdk_connection_callbacks* Server::onAccept(void* host, rdk_connection* connection,
                                                 const char* peer) {
  auto* listener = static_cast<Listener*>(host);
  Server* self = listener->server;
  std::lock_guard<std::mutex> lock(self->acceptMutex_);
  auto& log = Poco::Logger::get("rdk.server");
  const std::string peerText = peer ? peer : "";
  if (listener->retired.load()) {
    // Removed by a reload, still open for the sessions that came through it.
    log.information("client %s refused on %s: this bind was removed from server.bind", peerText,
                    listener->binding.boundUrl);
    return nullptr;
  }
  // Authenticated clients are not limited here (server.max-clients applies when one logs in):
  // only the connections still authenticating are, and only by their own budget.
  const size_t hardLimit = static_cast<size_t>(self->config_.getInt("server.max-clients")) +
                           self->admission_.limits().maxPending + kMaxRefusing;
  if (self->sessions_.size() + self->accepted_.size() >= hardLimit) {
    self->refusals_.count(Refusal::ConnectionLimit);
    std::lock_guard<std::mutex> summaryLock(self->summaryMutex_);
    ++self->summary_.clientsRefused;
    return nullptr;
  }
  const uint64_t id = self->nextConnectionId_++;
  const AdmissionControl::Decision decision =
      self->admission_.admit(id, addressKey(peerText), [self](uint64_t pendingId) {
        const ServerSession* session = self->findSessionLocked(pendingId);
        return session && session->idle();
      });
  for (uint64_t evicted : decision.evict) {
    if (ServerSession* session = self->findSessionLocked(evicted))
      session->evict();
  }
  auto channel = std::make_unique<PacketChannel>(listener->transport, &self->wakeup_);
  channel->attach(connection);
  if (decision.admitted) {
    log.information("session %?u: client %s connected to %s", id, channel->peer(),
                    listener->binding.boundUrl);
  } else {
    self->refusals_.count(decision.reason);
    log.warning("session %?u: client %s refused on %s: %s", id, channel->peer(),
                listener->binding.boundUrl, decision.refusal);
  }
  const rdk_connection_callbacks* callbacks = channel->callbacks();
  self->accepted_.push_back(std::make_unique<ServerSession>(
      *self->context_, listener->binding, std::move(channel), id, decision.refusal));
  {
    std::lock_guard<std::mutex> summaryLock(self->summaryMutex_);
    ++(decision.admitted ? self->summary_.clientsAccepted : self->summary_.clientsRefused);
    self->summary_.clientsEvicted += decision.evict.size();
  }
  self->wakeup_.notify();
  return callbacks;
}

void Server::broadcast(const rdk_window_event& event, const ServerWindow* window) {
  for (auto& session : sessions_)
    session->onDesktopEvent(event, window, nowUs_);
}

void Server::collect(const ServerSession& session) {
  const StreamStats* stats = session.streamStats();
  if (!stats)
    return;
  std::lock_guard<std::mutex> lock(summaryMutex_);
  summary_.draws += stats->draws;
  summary_.drawBytes += stats->drawBytes;
  summary_.lost += stats->lost;
  summary_.superseded += stats->superseded;
  summary_.redamaged += stats->redamaged;
  summary_.keyframes += stats->keyframes;
  for (const auto& [coding, n] : stats->perEncoding)
    summary_.drawsPerEncoding[coding] += n;
  for (const auto& [coding, us] : stats->encodeUsPerEncoding)
    summary_.encodeUsPerEncoding[coding] += us;
}

void Server::run(const std::atomic<bool>& stop, std::atomic<bool>* reload) {
  const uint64_t frameUs = 1'000'000 / std::max<long long>(1, config_.getInt("server.fps"));
  encoding::DamagePollSchedule::Settings pollSettings;
  pollSettings.periodUs = std::min<uint64_t>(frameUs / 2, 10'000);
  encoding::DamagePollSchedule polls(pollSettings);
  uint64_t nextMetricsUs = 0;
  constexpr uint64_t kShutdownGraceUs = 2'000'000;
  uint64_t shutdownSinceUs = 0;
  const bool exitWithChildren = config_.getBool("server.exit-with-children");
  while (!stop.load()) {
    nowUs_ = monotonicUs();
    if (reload && reload->exchange(false))
      this->reload();
    {
      std::lock_guard<std::mutex> lock(acceptMutex_);
      for (auto& session : accepted_)
        sessions_.push_back(std::move(session));
      accepted_.clear();
    }
    if (polls.due(nowUs_)) {
      std::string error;
      clipboard_->tick(nowUs_);
      if (!desktop_->poll(nowUs_, &error)) {
        // A platform that cannot be polled is fatal for capture but not for the process, unless
        // the user asked the server to end with what runs on it (seamless: the children exited).
        if (lastPlatformError_ != error)
          lastPlatformError_ = error;
        if (exitWithChildren && desktop_->platform().closed()) {
          Poco::Logger::get("rdk.server").information("stopping: " + error);
          break;
        }
      }
      polls.onPolled(nowUs_);
    }
    if (sound_) {
      const std::vector<audio::EncodedFrame> frames = sound_->take();
      if (!frames.empty())
        for (auto& session : sessions_)
          session->onSoundFrames(frames);
    }
    for (auto& session : sessions_)
      session->service(nowUs_);
    if (nowUs_ >= nextMetricsUs) {
      publishMetrics();
      nextMetricsUs = nowUs_ + 1'000'000;
    }
    std::vector<std::unique_ptr<ServerSession>> finished;
    {
      std::lock_guard<std::mutex> lock(acceptMutex_);
      for (auto it = sessions_.begin(); it != sessions_.end();) {
        if ((*it)->finished()) {
          Poco::Logger::get("rdk.server")
              .information("session %?u: client %s left: %s", (*it)->id(), (*it)->peer(),
                           (*it)->endReason());
          collect(**it);
          finished.push_back(std::move(*it));
          it = sessions_.erase(it);
        } else {
          ++it;
        }
      }
    }
    // Destroyed outside acceptMutex_: closing a connection takes the transport's locks, which
    // its accept thread holds while it calls onAccept (that takes acceptMutex_): a lock-order
    // cycle TSan reported.
    finished.clear();
    reapRetiredListeners();
    // A client's stop request: every session was told "server shutdown"; end once they have
    // gone (their disconnects flushed) or after a grace period.
    if (context_->shutdownRequested) {
      if (shutdownSinceUs == 0)
        shutdownSinceUs = nowUs_;
      if (sessions_.empty() || nowUs_ - shutdownSinceUs > kShutdownGraceUs) {
        Poco::Logger::get("rdk.server").information("stopping: a client asked the server to stop");
        break;
      }
    }
    if (desktop_->takeInput())
      polls.onInput(nowUs_);
    wakeup_.waitFor(std::chrono::microseconds(polls.waitUs(nowUs_)));
  }
  drain();
  std::lock_guard<std::mutex> lock(acceptMutex_);
  for (auto& session : sessions_)
    collect(*session);
}

void Server::drain() {
  {
    std::lock_guard<std::mutex> lock(acceptMutex_);
    for (auto& session : accepted_)
      sessions_.push_back(std::move(session));
    accepted_.clear();
  }
  for (auto& session : sessions_)
    session->close(std::string(protocol::disconnect_reason::kServerShutdown));
  const uint64_t deadlineUs =
      monotonicUs() + static_cast<uint64_t>(config_.getInt("server.shutdown-grace")) * 1000;
  for (;;) {
    nowUs_ = monotonicUs();
    bool allGone = true;
    for (auto& session : sessions_) {
      if (!session->finished())
        session->service(nowUs_);
      allGone = allGone && session->finished();
    }
    if (allGone || nowUs_ >= deadlineUs)
      return;
    wakeup_.waitFor(std::chrono::microseconds(2'000));
  }
}

ServerSummary Server::summary() const {
  std::lock_guard<std::mutex> lock(summaryMutex_);
  ServerSummary s = summary_;
  if (sharedEncoding_) {
    s.sharedEncodingEnabled = true;
    s.sharedEncoding = sharedEncoding_->stats();
  }
  if (desktop_) {
    for (uint32_t type = RDK_WINDOW_NEW; type <= RDK_WINDOW_POINTER; ++type) {
      s.desktopEvents[type] = desktop_->eventCount(type);
    }
  }
  return s;
}

void Server::publishMetrics() {
  ServerMetrics m;
  m.uptimeSeconds = double(elapsedUs(nowUs_, context_->startTimeUs)) / 1e6;
  {
    std::lock_guard<std::mutex> lock(summaryMutex_);
    m.clientsAccepted = summary_.clientsAccepted;
    m.clientsRefused = summary_.clientsRefused;
    m.clientsEvicted = summary_.clientsEvicted;
    m.draws = summary_.draws;  // finished sessions; running ones are added below
    m.drawBytes = summary_.drawBytes;
    m.lost = summary_.lost;
    m.keyframes = summary_.keyframes;
    for (const auto& [coding, n] : summary_.drawsPerEncoding)
      m.perEncoding[coding].draws += n;
    for (const auto& [coding, us] : summary_.encodeUsPerEncoding)
      m.perEncoding[coding].encodeUs += us;
  }
  if (sharedEncoding_) {
    const SharedEncodingStats shared = sharedEncoding_->stats();
    m.sharedHits = shared.hits;
    m.sharedMisses = shared.misses;
  }
  m.pendingConnections = admission_.pending();
  m.refusals = refusals_.snapshot();
  for (const plugin::PluginRefusalCount& r : plugin::HostServices::instance().refusalCounts())
    m.pluginRefusals.push_back({r.plugin, r.reason, r.count});
  {
    std::lock_guard<std::mutex> lock(reloadMutex_);
    m.reloadsApplied = reloadReport_.applied;
    m.reloadsRefused = reloadReport_.refused;
  }
  for (const auto& session : sessions_) {
    if (const StreamStats* s = session->streamStats()) {
      m.draws += s->draws;
      m.drawBytes += s->drawBytes;
      m.lost += s->lost;
      m.keyframes += s->keyframes;
      for (const auto& [coding, n] : s->perEncoding)
        m.perEncoding[coding].draws += n;
      for (const auto& [coding, us] : s->encodeUsPerEncoding)
        m.perEncoding[coding].encodeUs += us;
    }
    if (session->active())
      m.sessions.push_back(session->metrics());
  }
  std::lock_guard<std::mutex> lock(metricsMutex_);
  metrics_ = std::move(m);
}

ServerMetrics Server::metrics() const {
  std::lock_guard<std::mutex> lock(metricsMutex_);
  return metrics_;
}

size_t Server::sessionCount() const {
  return sessions_.size();
}

}  // namespace rdk::session
