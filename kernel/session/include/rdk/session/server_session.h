// One client of the server: the hello handshake (version, packet format, authentication,
// one-shot version and info requests, encodings), then the window stream and the client's
// input, pings and acknowledgements. Loop thread only.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/latency_stats.h"
#include "rdk/session/negotiation.h"
#include "rdk/session/packet_channel.h"
#include "rdk/session/packet_format.h"
#include "rdk/session/server_context.h"
#include "rdk/session/server_input.h"
#include "rdk/session/server_liveness.h"
#include "rdk/session/server_metrics.h"
#include "rdk/session/sound_sender.h"
#include "rdk/session/window_quota.h"
#include "rdk/session/window_streamer.h"

namespace rdk::session {

/// What the session keeps of the client's hello: the few capabilities it reads later (the whole
/// dictionary can be megabytes a peer chose to send).
struct ClientFeatures {
  PacketFormat packetFormat;
  bool systemTray = false;
  bool bell = false;
  bool cursors = false;
  bool soundReceive = false;
  std::vector<std::string> soundDecoders;
  bool soundBundleMetadata = false;
};

/// Limits of a connection before it has authenticated (server.max-hello-size and friends).
struct PreAuthLimits {
  size_t maxPacketBytes = 1u << 20;
  size_t maxPackets = 8;
  uint64_t helloTimeoutUs = 10'000'000;
  uint64_t authTimeoutUs = 60'000'000;
};

class ServerSession {
 public:
  /// |id| names the connection in the server's AdmissionControl. A non-empty |refusal| makes a
  /// session that only tells the peer why it cannot come in, then closes.
  ServerSession(ServerContext& context, Binding& binding, std::unique_ptr<PacketChannel> channel,
                uint64_t id = 0, const std::string& refusal = "");
  ~ServerSession();

  /// The bind this client came through (a reload closes a removed bind after its sessions).
  const Binding& binding() const { return binding_; }

  /// Processes what the transport delivered, then sends what is due.
  void service(uint64_t nowUs);
  /// A platform event to forward (the window, when it exists, after the event was applied).
  void onDesktopEvent(const rdk_window_event& event, const ServerWindow* window, uint64_t nowUs);
  /// Frames of the server's captured sound, to send when this client asked for a stream.
  void onSoundFrames(const std::vector<audio::EncodedFrame>& frames);
  bool finished() const { return finished_; }
  uint64_t id() const { return id_; }
  /// This session's row of /metrics (loop thread).
  SessionMetrics metrics() const;
  /// Whether the peer has not sent one complete packet yet. Any thread.
  bool idle() const { return channel_->packetsReceived() == 0; }
  /// Asks the loop to close this unauthenticated connection to make room. Any thread.
  void evict() { evictRequested_.store(true); }
  /// Tells the peer |reason| in a disconnect and closes once it had time to leave (loop thread).
  void close(const std::string& reason) { disconnect(reason); }
  bool active() const { return state_ == State::Active; }
  std::string peer() const { return peer_; }
  const std::string& endReason() const { return endReason_; }
  /// The info dictionary (`xpra info`, info-response).
  protocol::Value info(uint64_t nowUs) const;
  /// info() in a form this peer's packet encoder can carry (bencode: floats as text).
  protocol::Value infoForPeer(uint64_t nowUs) const;
  PacketChannel& channel() { return *channel_; }
  /// The window stream's counters, null before the session started.
  const StreamStats* streamStats() const { return streamer_ ? &streamer_->stats() : nullptr; }
  /// This client as `info` lists it to others: |prefix|address, transport, encodings in use,
  /// fps, latency, loss, bytes (server_requests.cpp; loop thread).
  void describeClient(protocol::Value& info, const std::string& prefix, uint64_t nowUs) const;

 private:
  enum class State { WaitHello, WaitChallengeResponse, WaitVerdict, Active, Closing };
  void handlePacket(const protocol::Packet& packet, uint64_t nowUs);
  void handleHello(protocol::Hello&& hello, uint64_t nowUs);
  /// True when the peer may go on at once; false when it was challenged, its verdict is pending
  /// (pollVerdict() continues) or it was refused.
  bool authenticate(const protocol::Capabilities& caps, uint64_t nowUs);
  void pollVerdict(uint64_t nowUs);
  /// Enforces the handshake deadlines and the eviction request; false when the session closes.
  bool checkHandshake(uint64_t nowUs);
  /// A response queued behind the throttle that will never be judged counts as a failure.
  void abandonVerdict(uint64_t nowUs);
  void authenticated();
  void afterAuthentication(const protocol::Capabilities& caps, uint64_t nowUs);
  /// Hello requests that want no session (detach, stop, screenshot: server_requests.cpp); true
  /// when |caps| was one and has been answered.
  bool handleRequest(const protocol::Capabilities& caps);
  void sendScreenshot();
  void startSession(const protocol::Capabilities& caps, uint64_t nowUs);
  void sendWindow(const ServerWindow& window);
  /// Whether the client is shown |window| (WindowQuota); a refusal is logged.
  bool admitWindow(const ServerWindow& window);
  void sendCursor();
  /// Typed dispatch of everything an active client sends (registerActiveHandlers).
  void registerActiveHandlers();
  void handleActivePacket(const protocol::Packet& packet);
  void disconnect(const std::string& reason, const std::string& detail = "", uint64_t delayUs = 0);
  /// disconnect(), counted in the server's refusals as |why| (for /metrics).
  void refuse(Refusal why, const std::string& reason, const std::string& detail = "");
  /// Counts a packet type we do not handle, under a bounded set of names.
  void countUnhandled(const std::string& type);
  /// The client's keyboard layout to the desktop (keyboard.apply-layout; server_session_packets).
  void applyKeyboardLayout(const struct KeyboardLayoutSpec& layout, const char* why);
  /// server_session_sound.cpp: the server's captured sound for this client (sound.send in the
  /// hello, sound-control handled) when the server captures any.
  void setUpSound(ServerHelloInputs& hello);
  void sendSound(const std::vector<SoundSender::Out>& packets);

  ServerContext& context_;
  Binding& binding_;
  std::unique_ptr<PacketChannel> channel_;
  std::string peer_;
  State state_ = State::WaitHello;
  bool finished_ = false;
  std::string endReason_;
  uint64_t closeAtUs_ = 0;
  std::optional<protocol::Disconnect> pendingDisconnect_;
  uint64_t disconnectAtUs_ = 0;
  uint64_t connectedUs_ = 0;
  uint64_t lastPacketUs_ = 0;
  ClientFeatures client_;
  Negotiation negotiation_;
  std::unique_ptr<WindowStreamer> streamer_;
  std::unique_ptr<SoundSender> sound_;
  std::shared_ptr<plugin::AuthenticatorObject> authenticator_;
  std::shared_ptr<AuthJob> verdict_;
  bool verdictSubmitted_ = false;
  std::optional<protocol::Capabilities> pendingHello_;  // waits for its verdict
  const uint64_t id_;
  const std::string addressKey_;
  PreAuthLimits preAuth_;
  std::atomic<bool> evictRequested_{false};
  std::string refusal_;
  bool countedActive_ = false;
  bool countedPending_ = false;
  std::string username_;
  std::string challengeSalt_;
  std::string challengeDigest_;
  std::string challengeSaltDigest_;
  int64_t resizeCounter_ = 0;
  uint64_t cursorSerial_ = 0;
  std::map<std::string, uint64_t> windowRequests_;
  protocol::MessageDispatcher active_;
  protocol::TypeNameCounter unhandled_;  // packet types we do not handle, bounded
  protocol::TypeNameCounter malformed_;  // types whose packets were malformed, bounded
  uint64_t nowUs_ = 0;                   // the loop's time, for the handlers
  // The packet handlers an active session dispatches to (declared after what they use).
  LoopTimeClock loopClock_{nowUs_};
  ChannelPacketSink sink_{channel_.get()};
  ServerLiveness liveness_;
  DesktopInputTarget inputTarget_;
  ServerInput input_{inputTarget_};
  WindowQuota windowQuota_;  // which windows this client is shown (server.max-windows, -size)
  uint64_t packetsIn_ = 0;
};

}  // namespace rdk::session
