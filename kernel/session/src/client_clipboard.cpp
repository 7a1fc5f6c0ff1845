#include "rdk/session/client_clipboard.h"

#include <cstdio>

#include "rdk/protocol/messages/clipboard.h"
#include "rdk/session/packet_channel.h"
#include "rdk/session/server_clipboard.h"

namespace rdk::session {

using protocol::Value;

ClientClipboard::ClientClipboard(plugin::PlatformObject& display, clipboard::Settings settings)
    : settings_(std::move(settings)), local_(display) {
  if (settings_.direction == clipboard::Direction::Disabled)
    return;
  std::string error;
  open_ = local_.open(&error);
  if (!open_)
    std::fprintf(stderr, "rdkernel attach: no clipboard: %s\n", error.c_str());
}

void ClientClipboard::addHelloCaps(Value& caps) const {
  caps.set("clipboard", Value(open_));
  if (!open_)
    return;
  Value::List selections;
  for (const auto& s : settings_.selections)
    selections.emplace_back(s);
  caps.set("clipboard.notifications", Value(true));
  caps.set("clipboard.selections", Value(selections));
  caps.set("clipboard.want_targets", Value(false));
  caps.set("clipboard.greedy", Value(false));
  caps.set("clipboard.preferred-targets", Value(Value::List{}));
  caps.set("clipboard.set_enabled", Value(true));
  caps.set("clipboard.contents-slice-fix", Value(true));
  caps.set("clipboard-direction", Value(toString(settings_.direction)));
}

void ClientClipboard::start(const protocol::Capabilities& serverCaps, PacketChannel& channel) {
  if (!open_ || core_ || !serverCaps.getBool("clipboard", false))
    return;
  channel_ = &channel;
  core_ = std::make_unique<clipboard::ClipboardCore>(
      settings_, local_,
      [this](const protocol::Packet& p, bool compress) {
        if (channel_)
          sendClipboardPacket(*channel_, p, compress);
      },
      &logClipboardLine);
  // The server's selections and direction narrow ours (clipboard-direction is the server's).
  if (serverCaps.has("clipboards"))
    core_->setPeerSelections(serverCaps.getStringList("clipboards"));
  if (auto d = serverCaps.getString("clipboard-direction")) {
    if (auto parsed = clipboard::parseDirection(*d))
      core_->setPeerDirection(*parsed);
  }
  core_->setPeerSliceFix(serverCaps.getBool("clipboard.contents-slice-fix", false));
  local_.setCore(core_.get());
  if (serverCaps.getBool("clipboard.enable-selections", false)) {
    std::vector<std::string> enabled;
    for (const auto& s : settings_.selections) {
      if (core_->selectionEnabled(s))
        enabled.push_back(s);
    }
    channel.send(protocol::ClipboardEnableSelections{enabled});
  }
  std::vector<protocol::Packet> early = std::move(early_);
  early_.clear();
  for (const auto& packet : early)
    handle(packet, 0);
}

bool ClientClipboard::handle(const protocol::Packet& packet, uint64_t nowUs) {
  if (!clipboard::ClipboardCore::isClipboardPacket(packet))
    return false;
  if (!core_) {
    // Sent right behind the server's hello, before start() had it: kept for start().
    if (open_ && early_.size() < 16)
      early_.push_back(packet);
    return true;
  }
  try {
    core_->handle(packet, nowUs);
  } catch (const protocol::ProtocolError& e) {
    // A malformed clipboard packet costs that packet, as on the server.
    if (!loggedMalformed_) {
      loggedMalformed_ = true;
      std::fprintf(stderr, "rdkernel attach: malformed clipboard packet dropped: %s\n", e.what());
    }
  }
  return true;
}

void ClientClipboard::tick(uint64_t nowUs) {
  local_.setNow(nowUs);
  if (core_)
    core_->tick(nowUs);
}

}  // namespace rdk::session
