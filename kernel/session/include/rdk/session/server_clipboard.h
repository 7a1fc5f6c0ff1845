// The server's clipboard: the desktop platform's selections on one side, one client on the other
// (the first that says hello with clipboard support, as Xpra's server picks its clipboard
// client; the next one takes over when it leaves). Loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rdk/clipboard/clipboard_core.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/value.h"
#include "rdk/session/platform_clipboard.h"

namespace rdk::session {

class PacketChannel;

/// clipboard.direction and clipboard.max-size as Settings for |side|.
clipboard::Settings clipboardSettings(const std::string& direction, long long maxSize,
                                      clipboard::Side side);
/// What a peer's hello says about its clipboard, applied to |core|.
void applyPeerClipboardCaps(clipboard::ClipboardCore& core, const protocol::Capabilities& caps);
/// Sends |packet| for a ClipboardCore: contents worth it go with compressed raw chunks.
void sendClipboardPacket(PacketChannel& channel, const protocol::Packet& packet, bool compress);
/// A logger for a ClipboardCore (refusals are warnings, the rest information).
void logClipboardLine(const std::string& line);

class ServerClipboard {
 public:
  ServerClipboard(plugin::PlatformObject& platform, clipboard::Settings settings);
  /// Whether the platform's selections are synchronised at all.
  bool available() const { return open_; }
  /// The clipboard keys of the server's hello (Xpra 3.1.3's names; "clipboard": false when
  /// there is no clipboard).
  void addHelloCaps(protocol::Value& caps) const;
  /// A client said hello: it becomes the clipboard's peer when it wants one and none is.
  void attach(uint64_t sessionId, PacketChannel& channel, const protocol::Capabilities& caps);
  void detach(uint64_t sessionId);
  /// True when |packet| is a clipboard packet (handled, or dropped: not from the peer).
  bool handle(uint64_t sessionId, const protocol::Packet& packet, uint64_t nowUs);
  /// Before each desktop poll: the time for the platform's events, and request timeouts.
  void tick(uint64_t nowUs);
  protocol::Value info() const;

 private:
  clipboard::Settings settings_;
  PlatformClipboard local_;
  bool open_ = false;
  uint64_t owner_ = 0;
  PacketChannel* channel_ = nullptr;
  std::unique_ptr<clipboard::ClipboardCore> core_;
};

}  // namespace rdk::session
