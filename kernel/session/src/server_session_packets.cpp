// ServerSession, once the session is active: window packets out, input and acks in, info.
#include <Poco/Logger.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "rdk/base/clock.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/keyboard_layout.h"
#include "rdk/session/packet_format.h"
#include "rdk/session/server_clipboard.h"
#include "rdk/session/server_session.h"

namespace rdk::session {

using protocol::Value;

namespace {

// Xpra's bencode has no floats (its encoder refuses them, and so does ours): a bencode peer
// asking for info gets them as decimal text instead of a protocol error.
Value floatsAsText(const Value& v) {
  switch (v.type()) {
    case Value::Type::Float: {
      char buf[40];
      const auto written = std::to_chars(buf, buf + sizeof buf, v.asFloat());
      return Value(std::string(buf, static_cast<size_t>(written.ptr - buf)));
    }
    case Value::Type::List: {
      Value::List out;
      for (const Value& item : v.asList())
        out.push_back(floatsAsText(item));
      return Value(std::move(out));
    }
    case Value::Type::Dict: {
      Value::Dict out;
      for (const auto& [key, item] : v.asDict())
        out.emplace_back(floatsAsText(key), floatsAsText(item));
      return Value(std::move(out));
    }
    default:
      return v;
  }
}

Value::Dict dictFromJson(const char* json) {
  if (!json)
    return {};
  Value value = Value::fromJson(json);
  return value.isDict() ? value.asDict() : Value::Dict{};
}

}  // namespace

bool ServerSession::admitWindow(const ServerWindow& w) {
  const auto refusal = windowQuota_.admit(w.wid, w.geometry.w, w.geometry.h);
  if (refusal) {
    Poco::Logger::get("rdk.server")
        .warning("session %?u: window %?u not shown: %s", id_, w.wid, *refusal);
  }
  return !refusal;
}

void ServerSession::sendWindow(const ServerWindow& w) {
  const Value::Dict metadata = w.metadata.isDict() ? w.metadata.asDict() : Value::Dict{};
  switch (w.kind) {
    case WindowKind::Tray:
      if (!client_.systemTray)
        return;
      channel_->send(
          protocol::NewTray{static_cast<int64_t>(w.wid), w.geometry.w, w.geometry.h, metadata});
      return;
    case WindowKind::OverrideRedirect:
    case WindowKind::Normal: {
      protocol::NewWindow window{static_cast<int64_t>(w.wid),
                                 w.geometry.x,
                                 w.geometry.y,
                                 w.geometry.w,
                                 w.geometry.h,
                                 metadata,
                                 {}};
      if (w.kind == WindowKind::Normal)
        channel_->send(window);
      else
        channel_->send(protocol::NewOverrideRedirect{window});
      return;
    }
  }
}

void ServerSession::onDesktopEvent(const rdk_window_event& event, const ServerWindow* window,
                                   uint64_t nowUs) {
  if (state_ != State::Active)
    return;
  const bool tray = window && window->kind == WindowKind::Tray;
  if (tray && !client_.systemTray)
    return;
  const auto wid = static_cast<int64_t>(event.wid);
  const bool announces = event.type == RDK_WINDOW_NEW ||
                         event.type == RDK_WINDOW_NEW_OVERRIDE_REDIRECT ||
                         event.type == RDK_WINDOW_NEW_TRAY;
  const bool concernsOneWindow = event.type <= RDK_WINDOW_BELL;
  if (concernsOneWindow && !announces && event.wid != 0 && !windowQuota_.shown(event.wid))
    return;  // a window this client is not shown (wid 0: the desktop's, e.g. its bell)
  if ((event.type == RDK_WINDOW_MOVE_RESIZE || event.type == RDK_WINDOW_RESIZED)) {
    if (const auto refusal = windowQuota_.resize(event.wid, event.rect.w, event.rect.h)) {
      Poco::Logger::get("rdk.server")
          .warning("session %?u: window %?u no longer shown: %s", id_, event.wid, *refusal);
      streamer_->removeWindow(event.wid);
      channel_->send(protocol::LostWindow{wid});
      return;
    }
  }
  switch (event.type) {
    case RDK_WINDOW_NEW:
    case RDK_WINDOW_NEW_OVERRIDE_REDIRECT:
    case RDK_WINDOW_NEW_TRAY:
      if (!window || !admitWindow(*window))
        return;
      sendWindow(*window);
      streamer_->addWindow(*window, nowUs);
      return;
    case RDK_WINDOW_RAISE:
      channel_->send(protocol::RaiseWindow{wid});
      return;
    case RDK_WINDOW_MOVE_RESIZE:
      // A move a client asked for (seamless) is where that client has the window already:
      // echoing it would fight the client's window manager (frames, placement).
      if (!event.metadata_json || !std::strstr(event.metadata_json, "\"client-request\":true"))
        channel_->send(protocol::WindowMoveResize{wid, event.rect.x, event.rect.y, event.rect.w,
                                                  event.rect.h, ++resizeCounter_});
      streamer_->resizeWindow(event.wid, event.rect.w, event.rect.h, nowUs);
      return;
    case RDK_WINDOW_RESIZED:
      channel_->send(protocol::WindowResized{wid, event.rect.w, event.rect.h, ++resizeCounter_});
      streamer_->resizeWindow(event.wid, event.rect.w, event.rect.h, nowUs);
      return;
    case RDK_WINDOW_METADATA: {
      Value::Dict changes;
      try {
        changes = dictFromJson(event.metadata_json);
      } catch (const std::exception&) {
        return;  // the platform's malformed metadata is not the client's problem
      }
      channel_->send(protocol::WindowMetadata{wid, std::move(changes)});
      return;
    }
    case RDK_WINDOW_LOST:
      windowQuota_.remove(event.wid);
      streamer_->removeWindow(event.wid);
      channel_->send(protocol::LostWindow{wid});
      return;
    case RDK_WINDOW_DAMAGE:
      streamer_->damage(event.wid, event.rect, nowUs);
      return;
    case RDK_WINDOW_BELL: {
      if (!client_.bell)
        return;
      protocol::Bell bell;
      bell.wid = wid;
      bell.percent = 50;
      bell.pitch = 440;
      bell.duration = 100;
      try {
        const Value m(dictFromJson(event.metadata_json));
        if (const Value* v = m.find("percent"); v && v->isInt())
          bell.percent = v->asInt();
        if (const Value* v = m.find("pitch"); v && v->isInt())
          bell.pitch = v->asInt();
        if (const Value* v = m.find("duration"); v && v->isInt())
          bell.duration = v->asInt();
      } catch (const std::exception&) {
      }
      channel_->send(bell);
      return;
    }
    case RDK_WINDOW_CURSOR:
      // The desktop keeps the cursor as it was applied (Desktop::cursor()).
      sendCursor();
      return;
    case RDK_WINDOW_SOUND: {
      // With server.sound on, the captured stream is this client's sound (SoundSender): a
      // platform's own test tone would be a second codec, which Xpra's client refuses.
      if (!client_.soundReceive || sound_)
        return;
      protocol::SoundData sound;
      sound.codec = "wav";
      try {
        sound.metadata = dictFromJson(event.metadata_json);
        const Value m(sound.metadata);
        if (const Value* c = m.find("codec"); c && c->isBytes())
          sound.codec = c->asBytes();
      } catch (const std::exception&) {
      }
      const auto& decoders = client_.soundDecoders;
      if (std::find(decoders.begin(), decoders.end(), sound.codec) == decoders.end())
        return;
      sound.data.assign(reinterpret_cast<const char*>(event.data.data), event.data.size);
      channel_->send(sound, Delivery::Droppable);
      return;
    }
    default:
      return;
  }
}

void ServerSession::sendCursor() {
  const auto& current = context_.desktop.cursor();
  if (!client_.cursors || !current)
    return;
  protocol::Cursor cursor;
  cursor.encoding = "raw";
  cursor.width = current->hotspotAndSize.w;
  cursor.height = current->hotspotAndSize.h;
  cursor.xhot = current->hotspotAndSize.x;
  cursor.yhot = current->hotspotAndSize.y;
  cursor.serial = static_cast<int64_t>(++cursorSerial_);
  cursor.pixels = current->pixels;
  cursor.name = "default";
  cursor.defaultSize = 32;
  cursor.maxWidth = cursor.maxHeight = 64;
  channel_->send(cursor, Delivery::Droppable, /*supersedeKey=*/0xC0FFEEull);
}

void ServerSession::registerActiveHandlers() {
  using namespace protocol;
  liveness_.registerWith(active_);
  input_.registerWith(active_);
  active_.on<DamageSequence>([this](const DamageSequence& ack) {
    streamer_->onAck(static_cast<uint64_t>(ack.packetSequence), static_cast<uint64_t>(ack.wid),
                     ack.decodeTimeUs, nowUs_);
  });
  active_.on<SetDeflate>([this](const SetDeflate& deflate) {
    // The format chosen at hello: re-reading a hello of many keys per packet would let a peer
    // stall the loop with tiny packets.
    const PacketFormat& format = client_.packetFormat;
    channel_->setWriterFormat(format.encoding, format.compression, static_cast<int>(deflate.level));
    channel_->send(deflate);
  });
  active_.on<InfoRequest>(
      [this](const InfoRequest&) { channel_->send(InfoResponse{infoForPeer(nowUs_).asDict()}); });
  active_.on<BufferRefresh>([this](const BufferRefresh&) { streamer_->damageAll(nowUs_); });
  // The client switched keyboard layouts (Xpra 3.1.3 input_server _process_layout/_keymap).
  active_.on<LayoutChanged>([this](const LayoutChanged& l) {
    KeyboardLayoutSpec spec;
    spec.layout = l.layout;
    spec.variant = l.variant;
    spec.options = l.options.value_or("");
    applyKeyboardLayout(spec, "layout-changed");
  });
  // The display's own auto-repeat (at the client's key_repeat rate) repeats held keys.
  active_.ignore<KeyRepeat>();
  active_.on<KeymapChanged>([this](const KeymapChanged& k) {
    applyKeyboardLayout(keyboardLayoutFromCaps(protocol::Capabilities(k.properties)),
                        "keymap-changed");
  });
  // Window management requests of a seamless client: counted; the platforms here manage their
  // own windows.
  // The stock 3.1.3 client announces scroll painting per window, in these client properties.
  const auto scrollingProperty = [this](int64_t wid, const Value::Dict& properties) {
    const Value props(properties);
    const Value* scrolling = props.find("encoding.scrolling");
    if (streamer_ && scrolling && (scrolling->isBool() || scrolling->isInt()))
      streamer_->setWindowScrolling(static_cast<uint64_t>(wid), scrolling->isBool()
                                                                    ? scrolling->asBool()
                                                                    : scrolling->asInt() != 0);
  };
  // Window management requests of a seamless client go to the platform (ABI 1.1 request());
  // platforms that manage no windows (shadow, synthetic) say "unsupported", which is no error.
  const auto forward = [this](uint32_t type, int64_t wid, int64_t x, int64_t y, int64_t w,
                              int64_t h) {
    const ServerWindow* window = context_.desktop.window(static_cast<uint64_t>(wid));
    // A tray takes only its place: Xpra's client configures it where its own tray shows it, so
    // that the root coordinates of its clicks land on the icon.
    if (wid != 0 &&
        (!window || (window->kind == WindowKind::Tray && type != RDK_REQUEST_CONFIGURE)))
      return;
    rdk_window_request request{};
    request.struct_size = sizeof(request);
    request.type = type;
    request.wid = static_cast<uint64_t>(wid);
    if (w > 0 && h > 0 && w <= 16384 && h <= 16384 && x > -65536 && x < 65536 && y > -65536 &&
        y < 65536) {
      request.rect = {static_cast<int32_t>(x), static_cast<int32_t>(y), static_cast<uint32_t>(w),
                      static_cast<uint32_t>(h)};
    }
    std::string error;
    if (!context_.desktop.platform().request(request, &error) &&
        error.find("unsupported") == std::string::npos) {
      Poco::Logger::get("rdk.server").debug("session %?u: %s", id_, error);
    }
  };
  active_.on<MapWindow>([this, scrollingProperty, forward](const MapWindow& m) {
    ++windowRequests_["map-window"];
    scrollingProperty(m.wid, m.clientProperties);
    forward(RDK_REQUEST_MAP, m.wid, m.x, m.y, m.width, m.height);
  });
  active_.on<ConfigureWindow>([this, scrollingProperty, forward](const ConfigureWindow& c) {
    ++windowRequests_["configure-window"];
    scrollingProperty(c.wid, c.clientProperties);
    if (!c.skipGeometry)
      forward(RDK_REQUEST_CONFIGURE, c.wid, c.x, c.y, c.width, c.height);
  });
  active_.on<UnmapWindow>([this, forward](const UnmapWindow& u) {
    ++windowRequests_["unmap-window"];
    forward(RDK_REQUEST_UNMAP, u.wid, 0, 0, 0, 0);
  });
  active_.on<Focus>([this, forward](const Focus& f) {
    ++windowRequests_["focus"];
    forward(RDK_REQUEST_FOCUS, f.wid, 0, 0, 0, 0);
  });
  active_.on<CloseWindow>([this, forward](const CloseWindow& c) {
    ++windowRequests_["close-window"];
    forward(RDK_REQUEST_CLOSE, c.wid, 0, 0, 0, 0);
  });
  active_.onUnknown([this](std::string_view type, const Packet&) {
    Poco::Logger::get("rdk.server")
        .debug("session %?u: client %s sent an unhandled packet type '%s'", id_, peer_,
               std::string(type));
  });
}

void ServerSession::handleActivePacket(const protocol::Packet& packet) {
  try {
    // Clipboard packets go to the server's clipboard (dropped when this client is not its peer).
    if (context_.clipboard && context_.clipboard->handle(id_, packet, nowUs_))
      return;
    if (!active_.dispatch(packet))
      countUnhandled(protocol::MessageDispatcher::typeOf(packet));
  } catch (const protocol::ProtocolError& e) {
    // A malformed request costs the request, not the session: Xpra's clients vary in the
    // optional fields they send. Logged once per type.
    const std::string type =
        protocol::TypeNameCounter::printable(protocol::MessageDispatcher::typeOf(packet));
    if (malformed_.add(type))
      Poco::Logger::get("rdk.server")
          .warning("session %?u: client %s: malformed packet dropped: %s", id_, peer_,
                   std::string(e.what()));
  }
}

void ServerSession::applyKeyboardLayout(const KeyboardLayoutSpec& layout, const char* why) {
  if (layout.empty() || !context_.config.getBool("keyboard.apply-layout"))
    return;
  std::string error;
  Poco::Logger& log = Poco::Logger::get("rdk.server");
  std::string name = layout.layout.empty() ? std::string("(unchanged)") : layout.layout;
  if (!layout.variant.empty())
    name += "(" + layout.variant + ")";
  if (!layout.options.empty())
    name += " options " + layout.options;
  if (layout.repeatDelayMs > 0) {
    name += ", key repeat " + std::to_string(layout.repeatDelayMs) + "/" +
            std::to_string(layout.repeatIntervalMs) + " ms";
  }
  if (context_.desktop.platform().keyboardSet(layout.toJson(), &error)) {
    log.information("session %?u: keyboard layout %s applied (%s)", id_, name, std::string(why));
  } else if (error.find("unsupported") == std::string::npos) {
    log.warning("session %?u: keyboard layout %s not applied: %s", id_, name, error);
  }
}

void ServerSession::countUnhandled(const std::string& type) {
  // Names come from the peer: a bounded set of short printable ones, so that statistics cannot
  // pin memory (one 400 kB packet type per packet would otherwise stay for the whole session).
  unhandled_.add(type);
}

Value ServerSession::infoForPeer(uint64_t nowUs) const {
  Value v = info(nowUs);
  return client_.packetFormat.encoding == protocol::PacketEncoding::Bencode ? floatsAsText(v) : v;
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
  // Every attached client (issue 20 item 5: info described only its own short connection).
  uint64_t clients = 0;
  if (context_.sessions) {
    for (const auto& session : *context_.sessions) {
      if (session->active())
        session->describeClient(info, "clients." + std::to_string(clients++) + ".", nowUs);
    }
  }
  info.set("clients.count", Value(clients));
  if (const LatencyStats& rtt = liveness_.rtt(); rtt.count()) {
    info.set("latency.min-ms", Value(rtt.recentPercentile(0)));
    info.set("latency.p50-ms", Value(rtt.recentPercentile(50)));
    info.set("latency.p95-ms", Value(rtt.recentPercentile(95)));
    info.set("client.load-average", Value(double(liveness_.clientLoad1000()) / 1000.0));
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
    info.set("encoding.shared.waits", Value(shared.waits));
    info.set("encoding.shared.bytes-saved", Value(shared.bytesSaved));
    info.set("encoding.shared.encode-ms-saved", Value(shared.encodeUsSaved / 1000));
    info.set("encoding.shared.entries", Value(shared.entries));
    info.set("encoding.shared.bytes", Value(shared.bytes));
    info.set("encoding.shared.evictions", Value(shared.evictions));
  }
  info.set("input.events", Value(input_.events()));
  info.set("windows.shown", Value(uint64_t{windowQuota_.count()}));
  info.set("windows.refused", Value(windowQuota_.refused()));
  if (!input_.lastError().empty())
    info.set("input.last-error", Value(input_.lastError()));
  for (const auto& [name, count] : windowRequests_)
    info.set("client.requests." + name, Value(count));
  for (const auto& [name, count] : unhandled_.counts())
    info.set("client.requests.unhandled:" + name, Value(count));
  for (const auto& [name, count] : malformed_.counts())
    info.set("client.requests.malformed:" + name, Value(count));
  info.set("windows.count", Value(static_cast<uint64_t>(context_.desktop.windows().size())));
  // Per client and window: the video region, the last choice and why (as --explain does for
  // plugins), e.g. client.3.window.1.encoding = "png", ...why = "outside the video region".
  for (const auto& [id, streamer] : context_.streamers) {
    const std::string client = "client." + std::to_string(id) + ".";
    const StreamStats& s = streamer->stats();
    info.set(client + "damage.scrolls", Value(s.scrolls));
    info.set(client + "damage.scrolled-rows", Value(s.scrolledRows));
    info.set(client + "damage.video-regions", Value(s.videoRegions));
    for (const auto& [wid, policy] : streamer->policyInfo()) {
      const std::string w = client + "window." + std::to_string(wid) + ".";
      if (policy.videoRegion) {
        const encoding::Rect& r = *policy.videoRegion;
        info.set(w + "video-region",
                 Value(Value::List{Value(int64_t{r.x}), Value(int64_t{r.y}), Value(uint64_t{r.w}),
                                   Value(uint64_t{r.h})}));
      }
      info.set(w + "video-region.why", Value(policy.regionWhy));
      info.set(w + "encoding", Value(policy.choice));
      info.set(w + "encoding.why", Value(policy.why));
      info.set(w + "scrolling", Value(policy.scrolling));
    }
  }
  return info;
}

}  // namespace rdk::session
