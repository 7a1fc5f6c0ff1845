// `rdkernel attach`'s clipboard: the native display's selections (the x11 platform's clipboard)
// synchronised with the server's, as Xpra 3.1.3's client does (hello keys, then
// clipboard-enable-selections and the token/request/contents packets). Loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "rdk/clipboard/clipboard_core.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/value.h"
#include "rdk/session/platform_clipboard.h"

namespace rdk::session {

class PacketChannel;

class ClientClipboard {
 public:
  /// Opens the display's selections; available() says whether that worked.
  ClientClipboard(plugin::PlatformObject& display, clipboard::Settings settings);
  bool available() const { return open_; }
  /// Xpra 3.1.3 client's clipboard hello keys.
  void addHelloCaps(protocol::Value& caps) const;
  /// After the server's hello: synchronise when it has a clipboard too.
  void start(const protocol::Capabilities& serverCaps, PacketChannel& channel);
  /// True when |packet| was a clipboard packet.
  bool handle(const protocol::Packet& packet, uint64_t nowUs);
  /// Before each display poll.
  void tick(uint64_t nowUs);
  bool started() const { return core_ != nullptr; }

 private:
  clipboard::Settings settings_;
  PlatformClipboard local_;
  bool open_ = false;
  PacketChannel* channel_ = nullptr;
  std::unique_ptr<clipboard::ClipboardCore> core_;
  bool loggedMalformed_ = false;
  std::vector<protocol::Packet> early_;  // clipboard packets that came before start()
};

}  // namespace rdk::session
