// One client of the server: the hello handshake (version, packet format, authentication,
// one-shot version and info requests, encodings), then the window stream and the client's
// input, pings and acknowledgements. Loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "rdk/protocol/capabilities.h"
#include "rdk/session/latency_stats.h"
#include "rdk/session/negotiation.h"
#include "rdk/session/packet_channel.h"
#include "rdk/session/server_context.h"
#include "rdk/session/window_streamer.h"

namespace rdk::session {

class ServerSession {
 public:
  ServerSession(ServerContext& context, Binding& binding, std::unique_ptr<PacketChannel> channel);
  ~ServerSession();

  /// Processes what the transport delivered, then sends what is due.
  void service(uint64_t nowUs);
  /// A platform event to forward (the window, when it exists, after the event was applied).
  void onDesktopEvent(const rdk_window_event& event, const ServerWindow* window, uint64_t nowUs);
  bool finished() const { return finished_; }
  bool active() const { return state_ == State::Active; }
  std::string peer() const { return peer_; }
  const std::string& endReason() const { return endReason_; }
  /// The info dictionary (`xpra info`, info-response).
  protocol::Value info(uint64_t nowUs) const;
  PacketChannel& channel() { return *channel_; }
  /// The window stream's counters, null before the session started.
  const StreamStats* streamStats() const { return streamer_ ? &streamer_->stats() : nullptr; }

 private:
  enum class State { WaitHello, WaitChallengeResponse, Active, Closing };
  void handlePacket(const protocol::Packet& packet, uint64_t nowUs);
  void handleHello(const protocol::Value& caps, uint64_t nowUs);
  bool authenticate(const protocol::Capabilities& caps, uint64_t nowUs);
  void startSession(const protocol::Capabilities& caps, uint64_t nowUs);
  void sendWindow(const ServerWindow& window);
  void handleActivePacket(const std::string& type, const protocol::Packet& packet, uint64_t nowUs);
  void injectInput(const rdk_input_event& event);
  void disconnect(const std::string& reason, const std::string& detail = "", uint64_t delayUs = 0);
  void sendPing(uint64_t nowUs);

  ServerContext& context_;
  Binding& binding_;
  std::unique_ptr<PacketChannel> channel_;
  std::string peer_;
  State state_ = State::WaitHello;
  bool finished_ = false;
  std::string endReason_;
  uint64_t closeAtUs_ = 0;
  std::optional<protocol::Packet> pendingDisconnect_;
  uint64_t disconnectAtUs_ = 0;
  uint64_t connectedUs_ = 0;
  uint64_t lastPacketUs_ = 0;
  uint64_t nextPingUs_ = 0;
  std::optional<protocol::Capabilities> clientCaps_;
  Negotiation negotiation_;
  std::unique_ptr<WindowStreamer> streamer_;
  LatencyStats pingRttMs_;
  int64_t clientLoad1000_ = -1;
  std::unique_ptr<AuthenticatorObject> authenticator_;
  std::string username_;
  std::string challengeSalt_;
  std::string challengeDigest_;
  std::string challengeSaltDigest_;
  uint64_t inputEvents_ = 0;
  int64_t resizeCounter_ = 0;
  uint64_t cursorSerial_ = 0;
  std::string lastInputError_;
  std::map<std::string, uint64_t> windowRequests_;
  uint64_t packetsIn_ = 0;
};

}  // namespace rdk::session
