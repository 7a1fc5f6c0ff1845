// `rdkernel attach`: connects with a transport plugin, says hello (answering a challenge with an
// auth plugin), then follows the server's windows, decodes draws with the encoder plugins'
// decoders, acknowledges them, answers pings, forwards input, and reports statistics.
//
// Every packet is parsed once into its typed message by a MessageDispatcher and handed to a
// small handler (client_window_mirror, client_draw, client_liveness; input goes out through
// client_input); the Client keeps the handshake and the run loop. A malformed packet is logged
// once per type and skipped (malformed handshake packets end the session); unknown types are
// logged once and counted.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rdk/kernel/plugin_objects.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/protocol/messages/media.h"
#include "rdk/session/client_draw.h"
#include "rdk/session/client_input.h"
#include "rdk/session/client_liveness.h"
#include "rdk/session/client_sound.h"
#include "rdk/session/client_window.h"
#include "rdk/session/client_window_mirror.h"
#include "rdk/session/handler_interfaces.h"
#include "rdk/session/latency_stats.h"
#include "rdk/session/loop_wakeup.h"
#include "rdk/session/packet_channel.h"

namespace rdk::config {
class Config;
}
namespace rdk::plugin {
class Registry;
}

namespace rdk::session {

struct ClientOptions {
  std::string url;
  bool headless = true;
  std::string display;       // for the windowed client: X display name
  std::string snapshotPath;  // PNG of the desktop on exit
  std::string username;
  std::string password;           // empty: none
  double seconds = 0;             // 0: until the server disconnects or stop
  bool statusLine = false;        // one refreshing line per second on stderr
  bool syntheticInput = false;    // send keys, clicks and motion (the demo)
  std::string encoding = "auto";  // the encoding asked of the server (Xpra's --encoding)
};

struct ClientSummary {
  bool connected = false;
  bool handshakeOk = false;
  std::string endReason;
  double seconds = 0;
  uint64_t draws = 0;
  uint64_t drawBytes = 0;
  uint64_t decodeErrors = 0;
  uint64_t videoGaps = 0;
  std::map<std::string, uint64_t> drawsPerEncoding;
  std::map<std::string, uint64_t> pixelsPerEncoding;  // painted area per encoding
  std::map<std::string, uint64_t> packetsPerType;     // unknown types under bounded names
  uint64_t malformedPackets = 0;                      // refused by their message and skipped
  double latencyP50Ms = 0, latencyP99Ms = 0;  // capture to paint, when the server stamps draws
  double rttMs = 0;
  double rttP99Ms = 0;           // ping round trips, p99
  Liveness::PingSequence pings;  // our pings' echoes: once each, in order (a reliable stream)
  double fps = 0;
  double bandwidthKbps = 0;
  rdk_transport_stats transport{};
  size_t windows = 0;
  std::map<uint64_t, std::string> windowTitles;
  std::string snapshotPath;
  ClientSoundStats sound;  // the speaker's (client.sound), when it played
};

/// Registers the server packets the client parses (so checks) and drops: set_deflate,
/// startup-complete, info-response, setting-change, server-event, sound-data, sound-control,
/// cursor (the Client replaces that one: its native display shows cursors), pointer-position,
/// window-icon.
void ignoreUnusedServerPackets(protocol::MessageDispatcher& dispatcher);

class Client final : private ClientDisplay {
 public:
  Client(const config::Config& config, plugin::Registry& registry, ClientOptions options);
  ~Client() override;
  /// Runs the session; returns the process exit code (0 clean, 1 failure).
  int run(const std::atomic<bool>& stop);
  ClientSummary summary() const { return summary_; }
  /// The remote windows as last painted (valid after run() returns).
  const std::map<uint64_t, ClientWindow>& windows() const { return mirror_.windows(); }
  std::string statusLine(uint64_t nowUs);

 private:
  bool connect(std::string* error);
  void registerHandlers();
  void sendHello(const std::string& response, const std::string& clientSalt);
  void handlePacket(const protocol::Packet& packet);
  void handleChallenge(const protocol::Challenge& challenge);
  void handleServerHello(const protocol::Hello& hello);
  void handleDisconnect(const protocol::Disconnect& disconnect);
  /// Ends the session: |reason| in the summary, a disconnect to the server.
  void fail(const std::string& reason, const std::string& detail);
  void fillSummary(uint64_t nowUs);
  bool writeSnapshot(std::string* error);
  std::vector<std::string> decodableEncodings() const;
  /// Video encodings we decode, each with the "csc" layouts its decoder feature declares.
  std::vector<std::pair<std::string, std::vector<std::string>>> decodableVideoCscModes() const;
  std::vector<std::string> answerableDigests() const;
  static void onLocalInput(void* host, const rdk_input_event* event);
  // ClientDisplay: the native display, when there is one.
  void windowEvent(const rdk_window_event& event) override;
  void paint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) override;
  /// A cursor packet to the native display (RDK_WINDOW_CURSOR; no image = the default cursor).
  void showCursor(const protocol::Cursor& cursor);

  const config::Config& config_;
  plugin::Registry& registry_;
  ClientOptions options_;
  LoopWakeup wakeup_;
  std::unique_ptr<PacketChannel> channel_;
  std::unique_ptr<plugin::PlatformObject> display_;
  std::unique_ptr<class ClientClipboard> clipboard_;  // null when headless or disabled
  ChannelPacketSink sink_;
  MonotonicClock clock_;
  PluginDecoderSource decoderSource_;
  protocol::MessageDispatcher dispatcher_;
  protocol::TypeNameCounter malformed_;
  WindowMirror mirror_;
  DrawHandler draws_;
  Liveness liveness_;
  InputForwarder input_;
  std::optional<protocol::Capabilities> serverCaps_;
  uint32_t desktopWidth_ = 0, desktopHeight_ = 0;
  bool done_ = false;
  bool challenged_ = false;
  ClientSummary summary_;
  std::unique_ptr<ClientSound> sound_;  // client.sound; null when off or failed
  std::string soundError_;              // client.sound=pulse without PulseAudio: run() fails
  bool soundRequested_ = false;
  uint64_t startUs_ = 0;
  uint64_t lastStatusUs_ = 0;
  uint64_t drawsAtLastStatus_ = 0;
  uint64_t bytesAtLastStatus_ = 0;
  double statusFps_ = 0, statusKbps_ = 0;
};

}  // namespace rdk::session
