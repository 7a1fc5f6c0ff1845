#include "rdk/clipboard/clipboard_core.h"

#include "rdk/clipboard/wire_data.h"
#include "rdk/protocol/messages/clipboard.h"

namespace rdk::clipboard {

using namespace rdk::protocol;

ClipboardCore::ClipboardCore(Settings settings, LocalClipboard& local, Send send, Log log)
    : settings_(std::move(settings)), local_(local), send_(std::move(send)), log_(std::move(log)) {
  enabled_.insert(settings_.selections.begin(), settings_.selections.end());
}

const char* ClipboardCore::peerName() const {
  return settings_.side == Side::Server ? "the client" : "the server";
}

void ClipboardCore::logOnce(const std::string& key, const std::string& line) {
  if (logged_.insert(key).second && log_)
    log_(line);
}

void ClipboardCore::setPeerSelections(const std::vector<std::string>& selections) {
  enabled_.clear();
  for (const auto& s : selections) {
    for (const auto& ours : settings_.selections) {
      if (s == ours)
        enabled_.insert(s);
    }
  }
}

bool ClipboardCore::selectionEnabled(const std::string& selection) const {
  return enabled_.count(selection) != 0 && !loopGuard_.looping(selection);
}

void ClipboardCore::setPeerDirection(Direction peer) {
  settings_.direction = intersect(settings_.direction, peer);
}

bool ClipboardCore::isClipboardPacket(const Packet& packet) {
  if (packet.empty() || !packet[0].isBytes())
    return false;
  const std::string& t = packet[0].asBytes();
  return t.rfind("clipboard-", 0) == 0 || t == SetClipboardEnabled::kType;
}

// ---- local side

void ClipboardCore::onLocalOwnerChanged(const std::string& selection, uint64_t nowUs) {
  peerOwns_.erase(selection);
  tokenData_.erase(selection);
  if (!selectionEnabled(selection))
    return;
  if (!settings_.canSend()) {
    ++stats_.refusedDirection;
    logOnce("send-dir", std::string("clipboard: local ") + selection + " not offered to " +
                            peerName() + " (clipboard.direction=" + toString(settings_.direction) +
                            ")");
    return;
  }
  if (!loopGuard_.allowSend(selection, nowUs)) {
    logOnce("loop-" + selection, "clipboard: " + selection +
                                     " disabled: the two ends keep taking it from each other (a "
                                     "clipboard manager on both sides?)");
    return;
  }
  ++stats_.tokensSent;
  send_(ClipboardToken{selection}.toPacket(), false);
}

void ClipboardCore::onLocalRequest(uint32_t localId, const std::string& selection,
                                   const std::string& target, uint64_t nowUs) {
  if (!settings_.canReceive() || !selectionEnabled(selection) || !peerOwns_.count(selection) ||
      remoteRequests_.size() >= kMaxPending) {
    local_.reply(localId, std::nullopt);
    return;
  }
  auto cached = tokenData_.find(selection);
  if (cached != tokenData_.end()) {
    auto hit = cached->second.find(target);
    if (hit != cached->second.end()) {
      local_.reply(localId, hit->second);
      return;
    }
  }
  const int64_t id = nextRequestId_++;
  remoteRequests_[id] = {localId, selection, target, nowUs + settings_.remoteTimeoutUs};
  ++stats_.requestsSent;
  send_(ClipboardRequest{id, selection, target}.toPacket(), false);
}

void ClipboardCore::onLocalContents(uint32_t convertId, const std::optional<ClipboardData>& data) {
  auto it = localConverts_.find(convertId);
  if (it == localConverts_.end())
    return;  // expired, or from before a reset
  LocalConvert c = std::move(it->second);
  localConverts_.erase(it);
  sendPending();
  if (!data) {
    sendNone(c.peerRequestId, c.selection);
    return;
  }
  ClipboardWireData wire = toWire(*data);
  const size_t size = wireSize(wire);
  if (size > settings_.maxSize) {
    ++stats_.refusedOversize;
    if (log_) {
      log_("clipboard: refusing to send " + std::to_string(size) + " bytes of " + c.selection +
           " " + c.target + " to " + peerName() + ": over clipboard.max-size (" +
           std::to_string(settings_.maxSize) + ")");
    }
    sendNone(c.peerRequestId, c.selection);
    return;
  }
  ClipboardContents contents;
  contents.requestId = c.peerRequestId;
  contents.selection = c.selection;
  contents.data = std::move(wire);
  if (peerSliceFix_)
    contents.truncated = 0;
  ++stats_.contentsSent;
  stats_.bytesSent += size;
  send_(contents.toPacket(), size >= settings_.compressThreshold);
}

// ---- peer side

bool ClipboardCore::handle(const Packet& packet, uint64_t nowUs) {
  if (!isClipboardPacket(packet))
    return false;
  const std::string& type = packet[0].asBytes();
  if (type == ClipboardToken::kType) {
    onToken(ClipboardToken::fromPacket(packet), nowUs);
  } else if (type == ClipboardRequest::kType) {
    ClipboardRequest r = ClipboardRequest::fromPacket(packet);
    ++stats_.requestsReceived;
    if (!settings_.canSend()) {
      ++stats_.refusedDirection;
      logOnce("send-dir",
              std::string("clipboard: ") + peerName() + "'s request for " + r.selection +
                  " refused (clipboard.direction=" + toString(settings_.direction) + ")");
      sendNone(r.requestId, r.selection);
    } else if (!selectionEnabled(r.selection) || localConverts_.size() >= kMaxPending) {
      sendNone(r.requestId, r.selection);  // a peer asking faster than anyone pastes gets none
    } else {
      const uint32_t id = nextConvertId_++;
      localConverts_[id] = {r.requestId, r.selection, r.target, nowUs + settings_.localTimeoutUs};
      sendPending();
      local_.convert(id, r.selection, r.target);
    }
  } else if (type == ClipboardContents::kType) {
    ClipboardContents c = ClipboardContents::fromPacket(packet);
    auto it = remoteRequests_.find(c.requestId);
    if (it == remoteRequests_.end())
      return true;  // timed out already
    RemoteRequest r = std::move(it->second);
    remoteRequests_.erase(it);
    const size_t size = wireSize(c.data);
    std::string error;
    std::optional<ClipboardData> data;
    if (size > settings_.maxSize) {
      ++stats_.refusedOversize;
      if (log_) {
        log_("clipboard: refusing " + std::to_string(size) + " bytes of " + r.selection + " " +
             r.target + " from " + peerName() + ": over clipboard.max-size (" +
             std::to_string(settings_.maxSize) + ")");
      }
    } else {
      data = fromWire(c.data, &error);
      if (!data)
        logOnce("wire-" + error,
                "clipboard: contents from " + std::string(peerName()) + " dropped: " + error);
    }
    if (data) {
      ++stats_.contentsReceived;
      stats_.bytesReceived += size;
    }
    local_.reply(r.localId, data);
  } else if (type == ClipboardContentsNone::kType) {
    ClipboardContentsNone n = ClipboardContentsNone::fromPacket(packet);
    auto it = remoteRequests_.find(n.requestId);
    if (it != remoteRequests_.end()) {
      const uint32_t localId = it->second.localId;
      remoteRequests_.erase(it);
      local_.reply(localId, std::nullopt);
    }
  } else if (type == ClipboardEnableSelections::kType) {
    setPeerSelections(ClipboardEnableSelections::fromPacket(packet).selections);
  } else if (type == ClipboardPendingRequests::kType) {
    (void)ClipboardPendingRequests::fromPacket(packet);
  } else if (type == ClipboardLoopUuids::kType) {
    (void)ClipboardLoopUuids::fromPacket(packet);
  } else if (type == SetClipboardEnabled::kType) {
    if (!SetClipboardEnabled::fromPacket(packet).enabled) {
      enabled_.clear();
    } else if (enabled_.empty()) {
      enabled_.insert(settings_.selections.begin(), settings_.selections.end());
    }
  } else {
    logOnce("unknown-" + type.substr(0, 40),
            "clipboard: packet '" + type.substr(0, 40) + "' not handled");
  }
  return true;
}

void ClipboardCore::onToken(const ClipboardToken& token, uint64_t nowUs) {
  ++stats_.tokensReceived;
  if (!settings_.canReceive()) {
    ++stats_.refusedDirection;
    logOnce("recv-dir", std::string("clipboard: ") + peerName() + "'s " + token.selection +
                            " not taken (clipboard.direction=" + toString(settings_.direction) +
                            ")");
    return;
  }
  if (!selectionEnabled(token.selection))
    return;
  loopGuard_.tokenReceived(token.selection, nowUs);
  tokenData_.erase(token.selection);
  if (token.data) {
    std::string error;
    if (wireSize(*token.data) > settings_.maxSize) {
      ++stats_.refusedOversize;
      if (log_) {
        log_("clipboard: refusing " + std::to_string(wireSize(*token.data)) + " bytes of " +
             token.selection + " " + token.target + " from " + peerName() +
             ": over clipboard.max-size (" + std::to_string(settings_.maxSize) + ")");
      }
    } else if (auto data = fromWire(*token.data, &error)) {
      tokenData_[token.selection][token.target] = std::move(*data);
    }
  }
  if (!token.claim)
    return;
  peerOwns_.insert(token.selection);
  local_.claim(token.selection, token.targets.value_or(std::vector<std::string>{}));
}

void ClipboardCore::sendNone(int64_t requestId, const std::string& selection) {
  send_(ClipboardContentsNone{requestId, selection}.toPacket(), false);
}

void ClipboardCore::sendPending() {
  if (!peerNotifications_ || settings_.side != Side::Server)
    return;
  if (localConverts_.size() == pendingSent_)
    return;
  pendingSent_ = localConverts_.size();
  send_(ClipboardPendingRequests{static_cast<int64_t>(pendingSent_)}.toPacket(), false);
}

void ClipboardCore::tick(uint64_t nowUs) {
  for (auto it = remoteRequests_.begin(); it != remoteRequests_.end();) {
    if (nowUs < it->second.deadlineUs) {
      ++it;
      continue;
    }
    ++stats_.timeouts;
    if (log_) {
      log_("clipboard: " + std::string(peerName()) + " did not answer the request for " +
           it->second.selection + " " + it->second.target + " in time");
    }
    const uint32_t localId = it->second.localId;
    it = remoteRequests_.erase(it);
    local_.reply(localId, std::nullopt);
  }
  bool expired = false;
  for (auto it = localConverts_.begin(); it != localConverts_.end();) {
    if (nowUs < it->second.deadlineUs) {
      ++it;
      continue;
    }
    ++stats_.timeouts;
    expired = true;
    sendNone(it->second.peerRequestId, it->second.selection);
    it = localConverts_.erase(it);
  }
  if (expired)
    sendPending();
}

void ClipboardCore::reset() {
  for (auto& [id, r] : remoteRequests_)
    local_.reply(r.localId, std::nullopt);
  remoteRequests_.clear();
  localConverts_.clear();
  peerOwns_.clear();
  tokenData_.clear();
  loopGuard_.reset();
  pendingSent_ = 0;
  enabled_.clear();
  enabled_.insert(settings_.selections.begin(), settings_.selections.end());
}

Value ClipboardCore::info() const {
  Value d{Value::Dict{}};
  d.set("direction", Value(toString(settings_.direction)));
  d.set("max-size", Value(static_cast<int64_t>(settings_.maxSize)));
  Value::List sel;
  for (const auto& s : enabled_)
    sel.emplace_back(s);
  d.set("selections", Value(std::move(sel)));
  d.set("tokens-sent", Value(static_cast<int64_t>(stats_.tokensSent)));
  d.set("tokens-received", Value(static_cast<int64_t>(stats_.tokensReceived)));
  d.set("requests-sent", Value(static_cast<int64_t>(stats_.requestsSent)));
  d.set("requests-received", Value(static_cast<int64_t>(stats_.requestsReceived)));
  d.set("contents-sent", Value(static_cast<int64_t>(stats_.contentsSent)));
  d.set("contents-received", Value(static_cast<int64_t>(stats_.contentsReceived)));
  d.set("bytes-sent", Value(static_cast<int64_t>(stats_.bytesSent)));
  d.set("bytes-received", Value(static_cast<int64_t>(stats_.bytesReceived)));
  d.set("refused-oversize", Value(static_cast<int64_t>(stats_.refusedOversize)));
  d.set("refused-direction", Value(static_cast<int64_t>(stats_.refusedDirection)));
  d.set("timeouts", Value(static_cast<int64_t>(stats_.timeouts)));
  d.set("pending", Value(static_cast<int64_t>(remoteRequests_.size() + localConverts_.size())));
  return d;
}

}  // namespace rdk::clipboard
