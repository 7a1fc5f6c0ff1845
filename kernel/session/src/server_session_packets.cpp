// ServerSession, once the session is active: window packets out, input and acks in, info.
#include <cstdlib>

#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/packet_format.h"
#include "rdk/session/server_session.h"

namespace rdk::session {

using protocol::Value;

namespace {

int64_t intArg(const protocol::Packet& packet, size_t index, const char* field) {
  if (index >= packet.size()) {
    throw protocol::ProtocolError(packet[0].asBytes() + ": missing " + field);
  }
  return packet[index].asInt();
}

std::string bytesArg(const protocol::Packet& packet, size_t index) {
  if (index >= packet.size() || !packet[index].isBytes())
    return "";
  return packet[index].asBytes();
}

// Xpra modifiers travel as a list of names; our platforms take an X modifier mask.
uint32_t modifierMask(const protocol::Packet& packet, size_t index) {
  if (index >= packet.size() || !packet[index].isList())
    return 0;
  uint32_t mask = 0;
  for (const Value& name : packet[index].asList()) {
    if (!name.isBytes())
      continue;
    const std::string& n = name.asBytes();
    if (n == "shift")
      mask |= 1u << 0;
    else if (n == "lock")
      mask |= 1u << 1;
    else if (n == "control")
      mask |= 1u << 2;
    else if (n == "mod1")
      mask |= 1u << 3;
    else if (n == "mod2")
      mask |= 1u << 4;
    else if (n == "mod3")
      mask |= 1u << 5;
    else if (n == "mod4")
      mask |= 1u << 6;
    else if (n == "mod5")
      mask |= 1u << 7;
  }
  return mask;
}

Value metadataOrEmpty(const ServerWindow& window) {
  return window.metadata;
}

}  // namespace

void ServerSession::sendWindow(const ServerWindow& w) {
  switch (w.kind) {
    case WindowKind::Tray:
      if (!client_.systemTray)
        return;
      channel_->send(Value::List{Value("new-tray"), Value(w.wid), Value(w.geometry.w),
                                 Value(w.geometry.h), metadataOrEmpty(w)});
      return;
    case WindowKind::OverrideRedirect:
    case WindowKind::Normal:
      channel_->send(
          Value::List{Value(w.kind == WindowKind::Normal ? "new-window" : "new-override-redirect"),
                      Value(w.wid), Value(w.geometry.x), Value(w.geometry.y), Value(w.geometry.w),
                      Value(w.geometry.h), metadataOrEmpty(w), Value(Value::Dict{})});
      return;
  }
}

void ServerSession::onDesktopEvent(const rdk_window_event& event, const ServerWindow* window,
                                   uint64_t nowUs) {
  if (state_ != State::Active)
    return;
  const bool tray = window && window->kind == WindowKind::Tray;
  if (tray && !client_.systemTray)
    return;
  switch (event.type) {
    case RDK_WINDOW_NEW:
    case RDK_WINDOW_NEW_OVERRIDE_REDIRECT:
    case RDK_WINDOW_NEW_TRAY:
      if (!window)
        return;
      sendWindow(*window);
      streamer_->addWindow(*window, nowUs);
      return;
    case RDK_WINDOW_RAISE:
      channel_->send(Value::List{Value("raise-window"), Value(event.wid)});
      return;
    case RDK_WINDOW_MOVE_RESIZE:
      channel_->send(Value::List{Value("window-move-resize"), Value(event.wid), Value(event.rect.x),
                                 Value(event.rect.y), Value(event.rect.w), Value(event.rect.h),
                                 Value(++resizeCounter_)});
      streamer_->resizeWindow(event.wid, event.rect.w, event.rect.h, nowUs);
      return;
    case RDK_WINDOW_RESIZED:
      channel_->send(Value::List{Value("window-resized"), Value(event.wid), Value(event.rect.w),
                                 Value(event.rect.h), Value(++resizeCounter_)});
      streamer_->resizeWindow(event.wid, event.rect.w, event.rect.h, nowUs);
      return;
    case RDK_WINDOW_METADATA: {
      Value changes(Value::Dict{});
      if (event.metadata_json) {
        try {
          changes = Value::fromJson(event.metadata_json);
        } catch (const std::exception&) {
          return;  // the platform's malformed metadata is not the client's problem
        }
      }
      channel_->send(Value::List{Value("window-metadata"), Value(event.wid), changes});
      return;
    }
    case RDK_WINDOW_LOST:
      streamer_->removeWindow(event.wid);
      channel_->send(Value::List{Value("lost-window"), Value(event.wid)});
      return;
    case RDK_WINDOW_DAMAGE:
      streamer_->damage(event.wid, event.rect, nowUs);
      return;
    case RDK_WINDOW_BELL: {
      if (!client_.bell)
        return;
      int64_t percent = 50, pitch = 440, duration = 100;
      if (event.metadata_json) {
        try {
          Value m = Value::fromJson(event.metadata_json);
          if (const Value* v = m.find("percent"))
            percent = v->asInt();
          if (const Value* v = m.find("pitch"))
            pitch = v->asInt();
          if (const Value* v = m.find("duration"))
            duration = v->asInt();
        } catch (const std::exception&) {
        }
      }
      channel_->send(Value::List{Value("bell"), Value(event.wid), Value(0), Value(percent),
                                 Value(pitch), Value(duration), Value(""), Value(0), Value("")});
      return;
    }
    case RDK_WINDOW_CURSOR: {
      if (!client_.cursors || !event.image)
        return;
      const rdk_image& img = *event.image;
      std::string pixels;
      for (uint32_t row = 0; row < img.height; ++row) {
        pixels.append(reinterpret_cast<const char*>(img.pixels) + size_t{row} * img.stride,
                      size_t{img.width} * 4);
      }
      channel_->send(Value::List{Value("cursor"), Value("raw"), Value(0), Value(0),
                                 Value(img.width), Value(img.height), Value(event.rect.x),
                                 Value(event.rect.y), Value(++cursorSerial_), Value(pixels),
                                 Value("default"), Value(32), Value(64), Value(64)},
                     Delivery::Droppable, /*supersedeKey=*/0xC0FFEEull);
      return;
    }
    case RDK_WINDOW_SOUND: {
      if (!client_.soundReceive)
        return;
      Value metadata(Value::Dict{});
      std::string codec = "wav";
      if (event.metadata_json) {
        try {
          metadata = Value::fromJson(event.metadata_json);
          if (const Value* c = metadata.find("codec"); c && c->isBytes())
            codec = c->asBytes();
        } catch (const std::exception&) {
        }
      }
      const auto& decoders = client_.soundDecoders;
      if (std::find(decoders.begin(), decoders.end(), codec) == decoders.end())
        return;
      std::string data(reinterpret_cast<const char*>(event.data.data), event.data.size);
      channel_->send(Value::List{Value("sound-data"), Value(codec), Value(data), metadata},
                     Delivery::Droppable);
      return;
    }
    default:
      return;
  }
}

void ServerSession::injectInput(const rdk_input_event& event) {
  ++inputEvents_;
  std::string error;
  if (!context_.desktop.platform().inject(event, &error))
    lastInputError_ = error;
}

void ServerSession::handleActivePacket(const std::string& type, const protocol::Packet& packet,
                                       uint64_t nowUs) {
  if (type == "ping") {
    const int64_t echoed = intArg(packet, 1, "time");
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) != 3)
      load[0] = load[1] = load[2] = 0;
    channel_->send(Value::List{
        Value("ping_echo"), Value(echoed), Value(static_cast<int64_t>(load[0] * 1000)),
        Value(static_cast<int64_t>(load[1] * 1000)), Value(static_cast<int64_t>(load[2] * 1000)),
        Value(pingRttMs_.count() ? int64_t(pingRttMs_.recentPercentile(50)) : int64_t{-1}),
        Value("")});
  } else if (type == "ping_echo") {
    const int64_t echoedMs = intArg(packet, 1, "echoed time");
    pingRttMs_.add(double(nowUs / 1000) - double(echoedMs));
    if (packet.size() > 2 && packet[2].isInt())
      clientLoad1000_ = packet[2].asInt();
  } else if (type == "damage-sequence") {
    const uint64_t sequence = static_cast<uint64_t>(intArg(packet, 1, "packet_sequence"));
    const uint64_t wid = static_cast<uint64_t>(intArg(packet, 2, "wid"));
    const int64_t decodeTime = intArg(packet, 5, "decode_time");
    streamer_->onAck(sequence, wid, decodeTime, nowUs);
  } else if (type == "key-action") {
    rdk_input_event event{};
    event.struct_size = sizeof(event);
    event.type = RDK_INPUT_KEY;
    event.wid = static_cast<uint64_t>(intArg(packet, 1, "wid"));
    const std::string keyname = bytesArg(packet, 2);
    event.keyname = keyname.c_str();
    event.pressed = packet.size() > 3 && packet[3].asBool() ? 1 : 0;
    event.modifiers = modifierMask(packet, 4);
    event.keyval = packet.size() > 5 ? static_cast<uint32_t>(packet[5].asInt()) : 0;
    event.keycode = packet.size() > 7 ? static_cast<uint32_t>(packet[7].asInt()) : 0;
    injectInput(event);
  } else if (type == "button-action" || type == "pointer-position") {
    const bool button = type == "button-action";
    rdk_input_event event{};
    event.struct_size = sizeof(event);
    event.type = button ? RDK_INPUT_BUTTON : RDK_INPUT_MOTION;
    event.wid = static_cast<uint64_t>(intArg(packet, 1, "wid"));
    const size_t posIndex = button ? 4 : 2;
    if (posIndex >= packet.size() || !packet[posIndex].isList() ||
        packet[posIndex].asList().size() < 2) {
      throw protocol::ProtocolError(type + ": missing pointer position");
    }
    // Xpra sends root coordinates; our platforms take window coordinates.
    const Value::List& pos = packet[posIndex].asList();
    const ServerWindow* window = context_.desktop.window(event.wid);
    event.x = static_cast<int32_t>(pos[0].asInt()) - (window ? window->geometry.x : 0);
    event.y = static_cast<int32_t>(pos[1].asInt()) - (window ? window->geometry.y : 0);
    if (button) {
      event.button = static_cast<uint32_t>(intArg(packet, 2, "button"));
      event.pressed = packet[3].asBool() ? 1 : 0;
    }
    event.modifiers = modifierMask(packet, posIndex + 1);
    injectInput(event);
  } else if (type == "set_deflate") {
    const int level = static_cast<int>(intArg(packet, 1, "level"));
    // The format chosen at hello: re-reading a hello of many keys per packet would let a peer
    // stall the loop with tiny packets.
    const PacketFormat& format = client_.packetFormat;
    channel_->setWriterFormat(format.encoding, format.compression, level);
    channel_->send(Value::List{Value("set_deflate"), Value(level)});
  } else if (type == "info-request") {
    channel_->send(Value::List{Value("info-response"), info(nowUs)});
  } else if (type == "buffer-refresh") {
    streamer_->damageAll(nowUs);
  } else if (type == "map-window" || type == "configure-window" || type == "unmap-window" ||
             type == "focus" || type == "close-window") {
    ++windowRequests_[type];
  } else {
    countUnhandled(type);
  }
}

void ServerSession::countUnhandled(const std::string& type) {
  // Names come from the peer: keep a few, short and printable, so that statistics cannot pin
  // memory (one 400 kB packet type per packet would otherwise stay for the whole session).
  constexpr size_t kMaxNames = 32;
  constexpr size_t kMaxNameBytes = 40;
  std::string name = "unhandled:";
  for (size_t i = 0; i < type.size() && i < kMaxNameBytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(type[i]);
    name += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (type.size() > kMaxNameBytes)
    name += "...";
  if (!windowRequests_.count(name) && windowRequests_.size() >= kMaxNames)
    name = "unhandled:(other)";
  ++windowRequests_[name];
}

Value ServerSession::info(uint64_t nowUs) const {
  Value info(Value::Dict{});
  info.set("version", Value(kXpraProtocolVersion));
  info.set("server.type", Value("rdkernel"));
  info.set("server.version", Value(rdkernelVersion()));
  info.set("server.platform", Value(context_.desktop.name()));
  info.set("server.uptime-s", Value(elapsedUs(nowUs, context_.startTimeUs) / 1'000'000));
  Value::List loaded;
  for (const auto& name : context_.registry.loadedPluginNames())
    loaded.emplace_back(name);
  info.set("plugins.loaded", Value(std::move(loaded)));
  info.set("connection.peer", Value(peer_));
  info.set("connection.transport", Value(binding_.spec.scheme));
  info.set("connection.auth", Value(binding_.spec.authModule));
  const rdk_transport_stats t = channel_->stats();
  info.set("connection.srtt-us", Value(t.srtt_us));
  info.set("connection.loss-permille", Value(t.loss_permille));
  info.set("connection.bandwidth-bps", Value(t.bandwidth_bps));
  info.set("connection.retransmissions", Value(t.retransmissions));
  info.set("connection.bytes-sent", Value(channel_->bytesSent()));
  info.set("connection.packets-received", Value(packetsIn_));
  if (pingRttMs_.count()) {
    info.set("latency.min-ms", Value(pingRttMs_.recentPercentile(0)));
    info.set("latency.p50-ms", Value(pingRttMs_.recentPercentile(50)));
    info.set("latency.p95-ms", Value(pingRttMs_.recentPercentile(95)));
    info.set("client.load-average", Value(double(clientLoad1000_) / 1000.0));
  }
  if (streamer_) {
    const StreamStats& s = streamer_->stats();
    Value::List encodings;
    for (const auto& c : negotiation_.encodings)
      encodings.emplace_back(c.encoding);
    info.set("encoding.negotiated", Value(std::move(encodings)));
    Value::List inUse;
    for (const auto& name : streamer_->encodersInUse())
      inUse.emplace_back(name);
    info.set("encoding.in-use", Value(std::move(inUse)));
    info.set("damage.draws", Value(s.draws));
    info.set("damage.bytes", Value(s.drawBytes));
    info.set("damage.keyframes", Value(s.keyframes));
    info.set("damage.lost", Value(s.lost));
    info.set("damage.superseded", Value(s.superseded));
    info.set("damage.redamaged", Value(s.redamaged));
    info.set("damage.refreshes", Value(s.refreshes));
    info.set("damage.decode-errors", Value(s.decodeErrors));
    info.set("damage.shared", Value(s.sharedEncodes));
    for (const auto& [name, count] : s.perEncoding)
      info.set("damage.encoding." + name, Value(count));
  }
  // Server-wide: still pictures encoded once for every session with the same settings.
  info.set("encoding.shared.enabled", Value(context_.sharedEncoding != nullptr));
  if (context_.sharedEncoding) {
    const SharedEncodingStats shared = context_.sharedEncoding->stats();
    info.set("encoding.shared.hits", Value(shared.hits));
    info.set("encoding.shared.misses", Value(shared.misses));
    info.set("encoding.shared.bytes-saved", Value(shared.bytesSaved));
    info.set("encoding.shared.encode-ms-saved", Value(shared.encodeUsSaved / 1000));
    info.set("encoding.shared.entries", Value(shared.entries));
    info.set("encoding.shared.bytes", Value(shared.bytes));
    info.set("encoding.shared.evictions", Value(shared.evictions));
  }
  info.set("input.events", Value(inputEvents_));
  for (const auto& [name, count] : windowRequests_)
    info.set("client.requests." + name, Value(count));
  info.set("windows.count", Value(static_cast<uint64_t>(context_.desktop.windows().size())));
  return info;
}

}  // namespace rdk::session
