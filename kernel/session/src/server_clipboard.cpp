#include "rdk/session/server_clipboard.h"

#include <Poco/Logger.h>

#include "rdk/session/packet_channel.h"

namespace rdk::session {

using protocol::Value;

clipboard::Settings clipboardSettings(const std::string& direction, long long maxSize,
                                      clipboard::Side side) {
  clipboard::Settings s;
  s.side = side;
  s.direction = clipboard::parseDirection(direction).value_or(clipboard::Direction::Disabled);
  s.maxSize = static_cast<size_t>(maxSize < 0 ? 0 : maxSize);
  return s;
}

void applyPeerClipboardCaps(clipboard::ClipboardCore& core, const protocol::Capabilities& caps) {
  if (caps.has("clipboard.selections"))
    core.setPeerSelections(caps.getStringList("clipboard.selections"));
  else if (caps.has("clipboards"))
    core.setPeerSelections(caps.getStringList("clipboards"));
  if (auto d = caps.getString("clipboard-direction")) {
    if (auto parsed = clipboard::parseDirection(*d))
      core.setPeerDirection(*parsed);
  }
  core.setPeerSliceFix(caps.getBool("clipboard.contents-slice-fix", false));
  core.setPeerNotifications(caps.getBool("clipboard.notifications", false));
}

void sendClipboardPacket(PacketChannel& channel, const protocol::Packet& packet, bool compress) {
  if (compress)
    channel.sendCompressed(packet);
  else
    channel.send(packet);
}

void logClipboardLine(const std::string& line) {
  Poco::Logger& log = Poco::Logger::get("rdk.clipboard");
  if (line.find("refusing") != std::string::npos || line.find("disabled") != std::string::npos)
    log.warning(line);
  else
    log.information(line);
}

ServerClipboard::ServerClipboard(plugin::PlatformObject& platform, clipboard::Settings settings)
    : settings_(std::move(settings)), local_(platform) {
  Poco::Logger& log = Poco::Logger::get("rdk.clipboard");
  if (settings_.direction == clipboard::Direction::Disabled) {
    log.information("clipboard: disabled (clipboard.direction=disabled)");
    return;
  }
  std::string error;
  open_ = local_.open(&error);
  if (!open_) {
    log.information("clipboard: not available: " + error);
    return;
  }
  log.information(std::string("clipboard: ") + toString(settings_.direction) + ", at most " +
                  std::to_string(settings_.maxSize) + " bytes");
}

void ServerClipboard::addHelloCaps(Value& caps) const {
  caps.set("clipboard", Value(open_));
  if (!open_)
    return;
  Value::List selections;
  for (const auto& s : settings_.selections)
    selections.emplace_back(s);
  caps.set("clipboards", Value(selections));
  caps.set("clipboard-direction", Value(toString(settings_.direction)));
  caps.set("clipboard.enable-selections", Value(true));
  caps.set("clipboard.contents-slice-fix", Value(true));
  caps.set("clipboard.preferred-targets", Value(Value::List{}));
  caps.set("clipboard.max-size", Value(static_cast<int64_t>(settings_.maxSize)));
}

void ServerClipboard::attach(uint64_t sessionId, PacketChannel& channel,
                             const protocol::Capabilities& caps) {
  if (!open_ || core_ || !caps.getBool("clipboard", false))
    return;
  owner_ = sessionId;
  channel_ = &channel;
  core_ = std::make_unique<clipboard::ClipboardCore>(
      settings_, local_,
      [this](const protocol::Packet& p, bool compress) {
        if (channel_)
          sendClipboardPacket(*channel_, p, compress);
      },
      &logClipboardLine);
  applyPeerClipboardCaps(*core_, caps);
  local_.setCore(core_.get());
  Poco::Logger::get("rdk.clipboard")
      .information("clipboard: session " + std::to_string(sessionId) + " is the clipboard peer");
}

void ServerClipboard::detach(uint64_t sessionId) {
  if (!core_ || sessionId != owner_)
    return;
  core_->reset();
  local_.setCore(nullptr);
  core_.reset();
  channel_ = nullptr;
  owner_ = 0;
}

bool ServerClipboard::handle(uint64_t sessionId, const protocol::Packet& packet, uint64_t nowUs) {
  if (!clipboard::ClipboardCore::isClipboardPacket(packet))
    return false;
  if (core_ && sessionId == owner_)
    core_->handle(packet, nowUs);
  return true;
}

void ServerClipboard::tick(uint64_t nowUs) {
  local_.setNow(nowUs);
  if (core_)
    core_->tick(nowUs);
}

Value ServerClipboard::info() const {
  Value v = core_ ? core_->info() : Value(Value::Dict{});
  v.set("enabled", Value(open_));
  v.set("client", Value(static_cast<int64_t>(owner_)));
  return v;
}

}  // namespace rdk::session
