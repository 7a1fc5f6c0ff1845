#include "rdk/session/server_session.h"

#include <algorithm>

#include "rdk/base/clock.h"
#include "rdk/config/config.h"
#include "rdk/encoding/candidates.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/keyboard_layout.h"
#include "rdk/session/packet_format.h"
#include "rdk/session/peer_host.h"
#include "rdk/session/server_clipboard.h"

namespace rdk::session {

using protocol::Value;

namespace {

// Time for a final packet to leave before the connection closes.
constexpr uint64_t kLingerUs = 300'000;

PreAuthLimits preAuthLimits(const config::Config& config) {
  PreAuthLimits limits;
  limits.maxPacketBytes = static_cast<size_t>(config.getInt("server.max-hello-size"));
  limits.helloTimeoutUs = static_cast<uint64_t>(config.getInt("server.hello-timeout")) * 1'000'000;
  limits.authTimeoutUs = static_cast<uint64_t>(config.getInt("server.auth-timeout")) * 1'000'000;
  return limits;
}

std::vector<encoding::EncoderCandidate> candidatesFor(plugin::Registry& registry,
                                                      const Negotiation& negotiation) {
  std::vector<encoding::EncoderCandidate> out;
  for (const plugin::Feature& feature : registry.features(plugin::Kind::Encoder)) {
    const bool negotiated =
        std::any_of(negotiation.encodings.begin(), negotiation.encodings.end(),
                    [&](const EncodingChoice& c) { return c.encoding == feature.name; });
    if (!negotiated || !plugin::featureEncodes(feature))
      continue;
    if (std::any_of(out.begin(), out.end(),
                    [&](const encoding::EncoderCandidate& c) { return c.name == feature.name; })) {
      continue;
    }
    std::string json = "[" + featureJson(feature) + "]";
    for (auto& candidate : encoding::candidatesFromFeatures(json))
      out.push_back(candidate);
  }
  return out;
}

}  // namespace

ServerSession::ServerSession(ServerContext& context, Binding& binding,
                             std::unique_ptr<PacketChannel> channel, uint64_t id,
                             const std::string& refusal)
    : context_(context),
      binding_(binding),
      channel_(std::move(channel)),
      peer_(channel_->peer()),
      id_(id),
      addressKey_(addressKey(peer_)),
      preAuth_(preAuthLimits(context.config)),
      liveness_(sink_, loopClock_,
                static_cast<uint64_t>(context.config.getInt("server.ping-interval")) * 1'000'000),
      inputTarget_(context.desktop),
      windowQuota_(static_cast<size_t>(context.config.getInt("server.max-windows")),
                   static_cast<uint32_t>(context.config.getInt("server.max-window-size")),
                   &context.refusals) {
  connectedUs_ = monotonicUs();
  lastPacketUs_ = connectedUs_;
  registerActiveHandlers();
  // Before authentication a peer gets a small budget: its hello must fit, and decompression
  // stops there (a zlib bomb costs at most this much output).
  channel_->setReaderLimits(preAuth_.maxPacketBytes, preAuth_.maxPacketBytes);
  // A refusal is sent from the loop: the transport starts the connection only after accepting.
  refusal_ = refusal;
  countedPending_ = refusal.empty();
}

ServerSession::~ServerSession() {
  abandonVerdict(monotonicUs());
  if (countedPending_)
    context_.admission.closed(id_);
  if (countedActive_)
    --context_.activeClients;
  context_.streamers.erase(id_);
  if (context_.clipboard)
    context_.clipboard->detach(id_);
}

void ServerSession::authenticated() {
  if (countedPending_) {
    context_.admission.authenticated(id_);
    countedPending_ = false;
  }
  channel_->setReaderLimits(protocol::kDefaultMaxPacketSize, protocol::kMaxDecompressedSize);
}

void ServerSession::abandonVerdict(uint64_t nowUs) {
  if (state_ == State::WaitVerdict && !verdictSubmitted_ && verdict_) {
    context_.authThrottle.abandoned(addressKey_, nowUs);
    verdict_.reset();
  }
}

void ServerSession::disconnect(const std::string& reason, const std::string& detail,
                               uint64_t delayUs) {
  if (state_ == State::Closing)
    return;
  abandonVerdict(monotonicUs());
  endReason_ = detail.empty() ? reason : reason + ": " + detail;
  protocol::Disconnect packet{reason, {}};
  if (!detail.empty())
    packet.extra.push_back(detail);
  if (delayUs == 0)
    channel_->send(packet);
  state_ = State::Closing;
  closeAtUs_ = monotonicUs() + delayUs + kLingerUs;
  if (delayUs > 0) {
    pendingDisconnect_ = std::move(packet);
    disconnectAtUs_ = monotonicUs() + delayUs;
  }
}

void ServerSession::refuse(Refusal why, const std::string& reason, const std::string& detail) {
  if (state_ == State::Closing)
    return;  // already on its way out, for another reason that was counted (or not a refusal)
  context_.refusals.count(why);
  disconnect(reason, detail);
}

void ServerSession::service(uint64_t nowUs) {
  if (!refusal_.empty()) {
    disconnect("too many connections", refusal_);
    refusal_.clear();
    closeAtUs_ = nowUs;  // no linger: the transport flushes the reason as it closes
  }
  for (ChannelEvent& event : channel_->takeEvents()) {
    switch (event.type) {
      case ChannelEvent::Type::Packet:
        lastPacketUs_ = nowUs;
        ++packetsIn_;
        if (state_ == State::Closing)
          break;
        if (state_ != State::Active && packetsIn_ > preAuth_.maxPackets) {
          refuse(Refusal::PreAuthPackets, "protocol error",
                 "too many packets before authentication");
          break;
        }
        try {
          handlePacket(event.packet, nowUs);
        } catch (const std::exception& e) {
          if (state_ == State::Active)
            disconnect("protocol error", e.what());
          else
            refuse(Refusal::ProtocolError, "protocol error", e.what());
        }
        break;
      case ChannelEvent::Type::Lost:
        if (streamer_)
          streamer_->onLost(event.packetId, event.superseded, nowUs);
        break;
      case ChannelEvent::Type::Closed:
        if (event.protocolFailure && state_ == State::Active) {
          disconnect("protocol error", event.reason);
        } else if (event.protocolFailure && state_ != State::Closing) {
          refuse(Refusal::ProtocolError, "protocol error", event.reason);
        } else {
          if (endReason_.empty())
            endReason_ = event.reason;
          finished_ = true;
        }
        break;
    }
  }
  if (finished_)
    return;
  if (state_ == State::Closing) {
    if (pendingDisconnect_ && nowUs >= disconnectAtUs_) {
      channel_->send(*pendingDisconnect_);
      pendingDisconnect_.reset();
      closeAtUs_ = nowUs + kLingerUs;
    }
    if (!pendingDisconnect_ && nowUs >= closeAtUs_) {
      channel_->close(endReason_);
      finished_ = true;
    }
    return;
  }
  channel_->flushPending();
  if (state_ != State::Active && !checkHandshake(nowUs))
    return;
  const uint64_t timeoutUs =
      static_cast<uint64_t>(context_.config.getInt("server.ping-timeout")) * 1'000'000;
  if (elapsedUs(nowUs, lastPacketUs_) > timeoutUs) {
    const std::string silence =
        "nothing received for " + std::to_string(timeoutUs / 1'000'000) + " s";
    if (state_ == State::Active)
      disconnect("client ping timeout", silence);
    else
      refuse(Refusal::LoginTimeout, "login timeout", silence);
    return;
  }
  if (state_ != State::Active)
    return;
  nowUs_ = nowUs;
  liveness_.tick();
  streamer_->tick(nowUs);
}

bool ServerSession::checkHandshake(uint64_t nowUs) {
  const uint64_t age = elapsedUs(nowUs, connectedUs_);
  if (evictRequested_.load()) {
    disconnect("login timeout", "idle connection closed to make room for new ones");
    closeAtUs_ = nowUs;  // its place is needed now
    return false;
  }
  if (state_ == State::WaitHello && age > preAuth_.helloTimeoutUs) {
    refuse(Refusal::HelloTimeout, "login timeout",
           "no hello within " + std::to_string(preAuth_.helloTimeoutUs / 1'000'000) + " s");
    return false;
  }
  if (age > preAuth_.authTimeoutUs) {
    refuse(Refusal::LoginTimeout, "login timeout",
           "authentication not completed within " +
               std::to_string(preAuth_.authTimeoutUs / 1'000'000) + " s");
    return false;
  }
  if (state_ == State::WaitVerdict)
    pollVerdict(nowUs);
  return state_ != State::Closing;
}

void ServerSession::handlePacket(const protocol::Packet& packet, uint64_t nowUs) {
  nowUs_ = nowUs;
  const std::string type = protocol::MessageDispatcher::typeOf(packet);
  if (type == protocol::Hello::kType) {
    if (state_ == State::Active)
      throw protocol::ProtocolError("second hello in a session");
    handleHello(protocol::Hello::fromPacket(packet), nowUs);
    return;
  }
  if (type == protocol::Disconnect::kType) {
    std::string reason = "?";
    try {
      reason = protocol::Disconnect::fromPacket(packet).reason;
    } catch (const protocol::ProtocolError&) {
      // A malformed goodbye is still a goodbye.
    }
    endReason_ = "client: " + protocol::TypeNameCounter::printable(reason, 200);
    channel_->close(endReason_);
    finished_ = true;
    return;
  }
  if (state_ != State::Active) {
    // Xpra drops packets other than hello before the session is authenticated.
    return;
  }
  handleActivePacket(packet);
}

void ServerSession::handleHello(protocol::Hello&& hello, uint64_t nowUs) {
  if (state_ == State::WaitVerdict)
    throw protocol::ProtocolError("hello while the previous one is being authenticated");
  protocol::Capabilities caps(std::move(hello.caps));
  const PacketFormat format = negotiatePacketFormat(caps);
  channel_->setWriterFormat(format.encoding, format.compression, format.level);
  client_.packetFormat = format;

  if (caps.getBool("version_request").value_or(false)) {
    Value reply(Value::Dict{});
    reply.set("version", Value(std::string("rdkernel ") + rdkernelVersion() + " (xpra protocol " +
                               kXpraProtocolVersion + ")"));
    reply.set("rdkernel.version", Value(rdkernelVersion()));
    addNetworkCaps(reply);
    channel_->send(protocol::Hello{std::move(reply.asDict())});
    disconnect("done", "version sent", 0);
    return;
  }
  if (!caps.getString("version")) {
    refuse(Refusal::VersionError, "version error",
           "incompatible version: remote version not available!");
    return;
  }
  if (!authenticate(caps, nowUs))
    return;
  authenticated();
  afterAuthentication(caps, nowUs);
}

void ServerSession::afterAuthentication(const protocol::Capabilities& caps, uint64_t nowUs) {
  if (caps.getBool("info_request").value_or(false)) {
    Value info = infoForPeer(nowUs);
    addNetworkCaps(info);
    channel_->send(protocol::Hello{std::move(info.asDict())});
    disconnect("done", "info sent", 0);
    return;
  }
  if (handleRequest(caps))
    return;
  startSession(caps, nowUs);
}

bool ServerSession::authenticate(const protocol::Capabilities& caps, uint64_t nowUs) {
  if (!binding_.authPlugin) {
    return true;
  }
  if (!authenticator_) {
    std::string createError;
    authenticator_ =
        plugin::AuthenticatorObject::create(*binding_.authPlugin, binding_.spec.authModule,
                                            binding_.spec.authOptionsJson, &createError);
    if (!authenticator_) {
      disconnect("server error", "authentication unavailable");
      endReason_ = "server error: authentication unavailable: " + createError;
      return false;
    }
  }
  username_ = caps.getString("username").value_or("");
  auto job = std::make_shared<AuthJob>();
  job->authenticator = authenticator_;
  job->address = addressKey_;
  job->username = username_;
  if (authenticator_->requiresChallenge()) {
    const Value* response = caps.get("challenge_response");
    if (!response || state_ != State::WaitChallengeResponse) {
      plugin::AuthenticatorObject::Challenge challenge;
      const std::string digests = joinList(caps.getStringList("digest"));
      const std::string saltDigests = joinList(caps.getStringList("salt-digest"));
      const bool secure = isLoopbackPeer(peer_) || binding_.transportSecure;
      std::string error;
      if (!authenticator_->makeChallenge(username_, digests, saltDigests, secure, &challenge,
                                         &error)) {
        // The detail (which digests we refuse and why) is for the log, as docs/security.md says.
        refuse(Refusal::AuthFailed, "authentication failed");
        endReason_ = "authentication failed: " + error;
        return false;
      }
      challengeSalt_ = challenge.salt;
      channel_->send(protocol::Challenge{
          challenge.salt, {}, challenge.digest, challenge.saltDigest, challenge.prompt});
      state_ = State::WaitChallengeResponse;
      return false;
    }
    const Value* clientSalt = caps.get("challenge_client_salt");
    // A malformed answer still waits its turn: it fails in the plugin like a wrong one.
    job->response = response->isBytes() ? response->asBytes() : "";
    job->clientSalt = clientSalt && clientSalt->isBytes() ? clientSalt->asBytes() : "";
  }
  verdict_ = std::move(job);
  verdictSubmitted_ = false;
  pendingHello_ = caps;
  state_ = State::WaitVerdict;
  pollVerdict(nowUs);
  return false;
}

void ServerSession::pollVerdict(uint64_t nowUs) {
  if (!verdict_)
    return;
  if (!verdictSubmitted_) {
    if (!context_.authThrottle.tryBeginVerdict(addressKey_, nowUs))
      return;  // an earlier verdict of this address, or its back-off, comes first
    verdictSubmitted_ = true;
    context_.authWorker.submit(verdict_);
    return;
  }
  if (!verdict_->done.load())
    return;
  std::shared_ptr<AuthJob> job = std::move(verdict_);
  verdict_.reset();
  if (!job->success) {
    refuse(Refusal::AuthFailed, "authentication failed");
    endReason_ = "authentication failed: " + job->error;
    return;
  }
  protocol::Capabilities caps = std::move(*pendingHello_);
  pendingHello_.reset();
  authenticated();
  afterAuthentication(caps, nowUs);
}

void ServerSession::startSession(const protocol::Capabilities& caps, uint64_t nowUs) {
  negotiation_ = negotiateEncodings(caps, context_.registry.features(plugin::Kind::Encoder),
                                    context_.config.getList("server.encodings"));
  // Load the plugin of every common encoding now: a hardware encoder whose probe fails (no
  // device) drops out here and the next candidate takes its place.
  std::vector<EncodingChoice> usable;
  for (const EncodingChoice& choice : negotiation_.encodings) {
    std::string why;
    if (context_.registry.select(plugin::Kind::Encoder, choice.encoding, &why,
                                 plugin::featureEncodes)) {
      usable.push_back(choice);
    } else {
      negotiation_.explanation.push_back(choice.encoding + ": passed over at load: " + why);
    }
  }
  if (usable.empty() && negotiation_.ok()) {
    std::vector<std::string> loadable;
    for (const std::string& name : negotiation_.available) {
      if (context_.registry.select(plugin::Kind::Encoder, name, nullptr, plugin::featureEncodes))
        loadable.push_back(name);
    }
    negotiation_.error = "no common encodings: client offered [" +
                         joinList(negotiation_.offered, ", ") + "], server has [" +
                         joinList(loadable, ", ") + "]";
  }
  negotiation_.encodings = std::move(usable);
  if (!negotiation_.ok()) {
    refuse(Refusal::NoCommonEncoding, "server error", negotiation_.error);
    return;
  }
  const size_t maxClients = static_cast<size_t>(context_.config.getInt("server.max-clients"));
  if (context_.activeClients >= maxClients) {
    refuse(Refusal::MaxClients, "too many clients",
           "the server already has " + std::to_string(maxClients) + " clients");
    return;
  }
  ++context_.activeClients;
  countedActive_ = true;
  client_.systemTray = caps.getBool("system_tray").value_or(false);
  client_.bell = caps.getBool("bell").value_or(false);
  client_.cursors = caps.getBool("cursors").value_or(false);
  client_.soundReceive = caps.getBool("sound.receive").value_or(false);
  client_.soundDecoders = caps.getStringList("sound.decoders");
  client_.soundBundleMetadata = caps.getBool("sound.bundle-metadata").value_or(false);
  channel_->setPeerAliases(caps.aliases());

  encoding::Settings settings;
  settings.quality = static_cast<int>(context_.config.getInt("encoder.quality"));
  settings.speed = static_cast<int>(context_.config.getInt("encoder.speed"));
  settings.minQuality = static_cast<int>(caps.getInt("encoding.min-quality").value_or(30));
  settings.minSpeed = static_cast<int>(caps.getInt("encoding.min-speed").value_or(30));
  settings.autoRefreshDelayUs =
      static_cast<uint64_t>(caps.getInt("auto_refresh_delay")
                                .value_or(context_.config.getInt("encoder.auto-refresh-delay"))) *
      1000;
  // The client's named encoding ("auto": none), honoured as Xpra 3.1.3 does (types.h).
  settings.preferredEncoding = caps.getString("encoding").value_or("");
  if (settings.preferredEncoding == "auto")
    settings.preferredEncoding.clear();
  else if (settings.preferredEncoding == "rgb")
    settings.preferredEncoding = "rgb24";  // Xpra's alias of rgb24/rgb32
  settings.clientScrolls = caps.getBool("encoding.scrolling").value_or(false);
  std::vector<std::string> clientEncodings;
  for (const auto& c : negotiation_.encodings)
    clientEncodings.push_back(c.encoding);
  encoding::Selector selector(candidatesFor(context_.registry, negotiation_), clientEncodings,
                              settings);
  encoding::BatchSettings batch;
  batch.maxFps = static_cast<uint32_t>(context_.config.getInt("server.fps"));
  const long long keyframeInterval = context_.config.getInt(
      binding_.transportDroppable ? "encoder.udp-keyframe-interval" : "encoder.keyframe-interval");
  std::string encoderOptions =
      "{\"keyframe_interval\":" + std::to_string(keyframeInterval) +
      ",\"rgb_lz4\":" + (caps.getBool("lz4").value_or(false) ? "true" : "false") + "}";
  streamer_ = std::make_unique<WindowStreamer>(
      context_.registry, context_.desktop, *channel_, std::move(selector), batch, encoderOptions,
      caps.getBool("rdk.capture-timestamps").value_or(false), context_.sharedEncoding,
      context_.encodePool);
  streamer_->setScrolling(caps.getBool("encoding.scrolling").value_or(false));
  context_.streamers[id_] = streamer_.get();

  const rdk_rect bounds = context_.desktop.bounds();
  ServerHelloInputs hello;
  hello.uuid = context_.uuid;
  hello.encodings = clientEncodings;
  hello.desktopWidth = static_cast<int>(bounds.w);
  hello.desktopHeight = static_cast<int>(bounds.h);
  hello.platform = context_.desktop.name();
  hello.startTimeUs = context_.startTimeUs;
  setUpSound(hello);
  Value serverCaps = serverHello(hello);
  if (context_.clipboard)
    context_.clipboard->addHelloCaps(serverCaps);
  channel_->send(protocol::Hello{serverCaps.asDict()});
  if (context_.clipboard)
    context_.clipboard->attach(id_, *channel_, caps);
  applyKeyboardLayout(keyboardLayoutFromCaps(caps), "hello");
  state_ = State::Active;
  for (const auto& [wid, window] : context_.desktop.windows()) {
    if (admitWindow(window))
      sendWindow(window);
  }
  channel_->send(protocol::StartupComplete{});
  sendCursor();  // the cursor as it is now: the next change may be far away
  for (const auto& [wid, window] : context_.desktop.windows()) {
    if (windowQuota_.shown(wid) && (window.kind != WindowKind::Tray || client_.systemTray)) {
      streamer_->addWindow(window, nowUs);
    }
  }
  nowUs_ = nowUs;
  liveness_.tick();
}

}  // namespace rdk::session
