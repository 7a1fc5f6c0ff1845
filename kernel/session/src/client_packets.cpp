// Client: what the server sends once connected, and the input the client sends back.
#include <cstring>

#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/client.h"
#include "rdk/session/server_context.h"

namespace rdk::session {

using protocol::Value;

namespace {

int64_t intAt(const protocol::Packet& p, size_t i, const char* what) {
  if (i >= p.size())
    throw protocol::ProtocolError(p[0].asBytes() + ": missing " + what);
  return p[i].asInt();
}

rdk_window_event windowEvent(uint32_t type, const ClientWindow& w) {
  rdk_window_event e{};
  e.struct_size = sizeof(e);
  e.type = type;
  e.wid = w.wid;
  e.rect = w.geometry;
  return e;
}

}  // namespace

void Client::updateDisplay(const rdk_window_event& event) {
  if (!display_)
    return;
  std::string error;
  display_->displayWindow(event, &error);
}

void Client::handlePacket(const protocol::Packet& packet, uint64_t nowUs) {
  if (packet.empty() || !packet[0].isBytes())
    throw protocol::ProtocolError("packet without type");
  const std::string& type = packet[0].asBytes();
  ++summary_.packetsPerType[type];
  if (type == "hello") {
    if (packet.size() < 2 || !packet[1].isDict())
      throw protocol::ProtocolError("hello without caps");
    handleServerHello(packet[1]);
  } else if (type == "challenge") {
    handleChallenge(packet);
  } else if (type == "disconnect") {
    summary_.endReason =
        "server: " + (packet.size() > 1 && packet[1].isBytes() ? packet[1].asBytes() : "?");
    if (packet.size() > 2 && packet[2].isBytes())
      summary_.endReason += ": " + packet[2].asBytes();
    done_ = true;
  } else if (type == "ping") {
    channel_->send(Value::List{Value("ping_echo"), Value(intAt(packet, 1, "time")), Value(0),
                               Value(0), Value(0), Value(int64_t(rtt_.recentPercentile(50))),
                               Value("")});
  } else if (type == "ping_echo") {
    const int64_t echoed = intAt(packet, 1, "echoed time");
    rtt_.add(double(nowUs / 1000) - double(echoed));
  } else if (type == "draw") {
    handleDraw(packet, nowUs);
  } else if (type == "set_deflate" || type == "startup-complete" || type == "info-response" ||
             type == "setting-change" || type == "server-event" || type == "sound-data" ||
             type == "cursor" || type == "pointer-position" || type == "window-icon") {
    // Counted above; a headless client has nothing more to do with them.
  } else if (type == "bell") {
    const uint64_t wid = static_cast<uint64_t>(intAt(packet, 1, "wid"));
    auto it = windows_.find(wid);
    if (it != windows_.end())
      updateDisplay(windowEvent(RDK_WINDOW_BELL, it->second));
  } else {
    handleWindowPacket(type, packet, nowUs);
  }
}

void Client::handleWindowPacket(const std::string& type, const protocol::Packet& packet,
                                uint64_t /*nowUs*/) {
  if (type == "new-window" || type == "new-override-redirect" || type == "new-tray") {
    const bool tray = type == "new-tray";
    ClientWindow w;
    w.wid = static_cast<uint64_t>(intAt(packet, 1, "wid"));
    if (tray) {
      w.geometry = rdk_rect{0, 0, static_cast<uint32_t>(intAt(packet, 2, "w")),
                            static_cast<uint32_t>(intAt(packet, 3, "h"))};
      if (packet.size() > 4 && packet[4].isDict())
        w.metadata = packet[4];
      w.kind = WindowKind::Tray;
    } else {
      w.geometry = rdk_rect{static_cast<int32_t>(intAt(packet, 2, "x")),
                            static_cast<int32_t>(intAt(packet, 3, "y")), 0, 0};
      w.kind = type == "new-window" ? WindowKind::Normal : WindowKind::OverrideRedirect;
      if (packet.size() > 6 && packet[6].isDict())
        w.metadata = packet[6];
    }
    const uint32_t width = static_cast<uint32_t>(intAt(packet, tray ? 2 : 4, "w"));
    const uint32_t height = static_cast<uint32_t>(intAt(packet, tray ? 3 : 5, "h"));
    if (width > 16384 || height > 16384)
      throw protocol::ProtocolError(type + ": window too large");
    w.stackOrder = ++stackCounter_;
    w.resize(width, height);
    ClientWindow& stored = windows_[w.wid] = std::move(w);
    updateDisplay(windowEvent(tray                   ? RDK_WINDOW_NEW_TRAY
                              : type == "new-window" ? RDK_WINDOW_NEW
                                                     : RDK_WINDOW_NEW_OVERRIDE_REDIRECT,
                              stored));
    if (type == "new-window") {
      // A stock Xpra server only paints windows the client has mapped.
      channel_->send(Value::List{Value("map-window"), Value(stored.wid), Value(stored.geometry.x),
                                 Value(stored.geometry.y), Value(stored.geometry.w),
                                 Value(stored.geometry.h), Value(Value::Dict{}),
                                 Value(Value::Dict{})});
    }
    return;
  }
  const uint64_t wid = static_cast<uint64_t>(intAt(packet, 1, "wid"));
  auto it = windows_.find(wid);
  if (it == windows_.end())
    return;  // a window we never saw (or already lost): nothing to do
  ClientWindow& w = it->second;
  if (type == "lost-window") {
    updateDisplay(windowEvent(RDK_WINDOW_LOST, w));
    windows_.erase(it);
  } else if (type == "raise-window") {
    w.stackOrder = ++stackCounter_;
    updateDisplay(windowEvent(RDK_WINDOW_RAISE, w));
  } else if (type == "window-move-resize") {
    w.geometry.x = static_cast<int32_t>(intAt(packet, 2, "x"));
    w.geometry.y = static_cast<int32_t>(intAt(packet, 3, "y"));
    w.resize(static_cast<uint32_t>(intAt(packet, 4, "w")),
             static_cast<uint32_t>(intAt(packet, 5, "h")));
    updateDisplay(windowEvent(RDK_WINDOW_MOVE_RESIZE, w));
  } else if (type == "window-resized") {
    w.resize(static_cast<uint32_t>(intAt(packet, 2, "w")),
             static_cast<uint32_t>(intAt(packet, 3, "h")));
    updateDisplay(windowEvent(RDK_WINDOW_MOVE_RESIZE, w));
  } else if (type == "window-metadata") {
    if (packet.size() > 2 && packet[2].isDict()) {
      for (const auto& [key, value] : packet[2].asDict()) {
        if (key.isBytes())
          w.metadata.set(key.asBytes(), value);
      }
    }
    rdk_window_event e = windowEvent(RDK_WINDOW_METADATA, w);
    const std::string json = w.metadata.toJson();
    e.metadata_json = json.c_str();
    updateDisplay(e);
  }
}

void Client::handleDraw(const protocol::Packet& packet, uint64_t nowUs) {
  if (packet.size() < 10)
    throw protocol::ProtocolError("draw: expected at least 10 fields");
  const uint64_t wid = static_cast<uint64_t>(packet[1].asInt());
  const int32_t x = static_cast<int32_t>(packet[2].asInt());
  const int32_t y = static_cast<int32_t>(packet[3].asInt());
  const uint32_t w = static_cast<uint32_t>(packet[4].asInt());
  const uint32_t h = static_cast<uint32_t>(packet[5].asInt());
  const std::string& coding = packet[6].asBytes();
  const std::string& data = packet[7].asBytes();
  const int64_t sequence = packet[8].asInt();
  const Value options =
      packet.size() > 10 && packet[10].isDict() ? packet[10] : Value(Value::Dict{});
  auto ack = [&](int64_t decodeUs, const std::string& message) {
    channel_->send(Value::List{Value("damage-sequence"), Value(sequence), Value(wid), Value(w),
                               Value(h), Value(decodeUs), Value(message)});
  };
  auto it = windows_.find(wid);
  if (it == windows_.end() || w == 0 || h == 0 || w > 16384 || h > 16384) {
    ack(0, "");  // painting skipped
    return;
  }
  ClientWindow& window = it->second;
  // A video frame after a lost one would decode against the wrong reference: report a decode
  // error instead, so the server restarts the stream with a key frame.
  if (const Value* frame = options.find("frame"); frame && frame->isInt()) {
    constexpr int64_t kAwaitingKeyframe = -1000;
    const Value* keyOption = options.find("rdk.keyframe");
    const bool key = frame->asInt() == 0 || (keyOption && keyOption->asBool());
    auto last = window.lastVideoFrame.find(coding);
    if (!key && last != window.lastVideoFrame.end()) {
      if (last->second == kAwaitingKeyframe) {
        ack(-1, "waiting for a key frame");
        return;
      }
      if (frame->asInt() != last->second + 1) {
        ++summary_.videoGaps;
        last->second = kAwaitingKeyframe;
        ack(-1, "video frame gap");
        return;
      }
    }
    window.lastVideoFrame[coding] = frame->asInt();
  }
  auto& decoder = window.decoders[coding];
  if (decoder && (decoder->width() != w || decoder->height() != h) && options.find("frame")) {
    decoder.reset();
  }
  std::string error;
  if (!decoder) {
    plugin::LoadedPlugin* plugin =
        registry_.select(plugin::Kind::Encoder, coding, &error, plugin::featureDecodes);
    if (plugin)
      decoder = DecoderObject::create(*plugin, coding, w, h, &error);
    if (!decoder) {
      ++summary_.decodeErrors;
      ack(-1, "no decoder for " + coding + ": " + error);
      return;
    }
  }
  std::vector<uint8_t> pixels(size_t{w} * h * 4);
  rdk_image_out out{sizeof(rdk_image_out), w, h, w * 4, RDK_PIXEL_BGRX, pixels.data()};
  const uint64_t start = monotonicUs();
  std::string optionsJson = options.toJson();
  if (packet.size() > 9 && packet[9].isInt() && packet[9].asInt() > 0 &&
      !options.find("rowstride")) {
    // The rgb decoders need the row stride, which travels outside the options.
    Value withStride = options;
    withStride.set("rowstride", packet[9]);
    optionsJson = withStride.toJson();
  }
  if (!decoder->decode(data, optionsJson, out, &error)) {
    ++summary_.decodeErrors;
    window.decoders.erase(coding);
    window.lastVideoFrame.erase(coding);
    ack(-1, error);
    return;
  }
  const uint64_t decodeUs = std::max<uint64_t>(1, monotonicUs() - start);
  window.blit(x, y, out);
  if (display_) {
    rdk_image image{sizeof(rdk_image), w, h, w * 4, RDK_PIXEL_BGRX, pixels.data()};
    display_->displayPaint(wid, x, y, image, &error);
  }
  ++summary_.draws;
  summary_.drawBytes += data.size();
  ++summary_.drawsPerEncoding[coding];
  if (const Value* ts = options.find("rdk.capture-us"); ts && ts->isInt()) {
    // Same host only (the server stamps with its monotonic clock; capture-timestamps is offered
    // by our client and honoured by our server): a stamp from the future is not a latency.
    const uint64_t stamp = static_cast<uint64_t>(ts->asInt()), now = monotonicUs();
    if (stamp <= now)
      latency_.add(double(now - stamp) / 1000.0);
  }
  ack(static_cast<int64_t>(decodeUs), "");
  (void)nowUs;
}

void Client::sendSyntheticInput(uint64_t nowUs) {
  if (nowUs < nextInputUs_)
    return;
  nextInputUs_ = nowUs + 250'000;
  const ClientWindow* target = nullptr;
  for (const auto& [wid, w] : windows_) {
    if (w.kind == WindowKind::Normal) {
      target = &w;
      break;
    }
  }
  if (!target)
    return;
  const uint64_t step = inputStep_++;
  const int32_t px =
      target->geometry.x + static_cast<int32_t>((step * 37) % std::max(1u, target->geometry.w));
  const int32_t py =
      target->geometry.y + static_cast<int32_t>((step * 23) % std::max(1u, target->geometry.h));
  const Value pos(Value::List{Value(px), Value(py)});
  channel_->send(Value::List{Value("pointer-position"), Value(target->wid), pos,
                             Value(Value::List{}), Value(Value::List{})},
                 Delivery::Droppable, /*supersedeKey=*/0x9017E4ull);
  if (step % 8 == 0) {
    static const char* kKeys[] = {"r", "d", "k", "space"};
    const char* key = kKeys[(step / 8) % 4];
    for (int pressed = 1; pressed >= 0; --pressed) {
      channel_->send(Value::List{Value("key-action"), Value(target->wid), Value(key),
                                 Value(pressed != 0), Value(Value::List{}), Value(0), Value(key),
                                 Value(0), Value(0)});
    }
  }
  if (step % 8 == 4) {
    for (int pressed = 1; pressed >= 0; --pressed) {
      channel_->send(Value::List{Value("button-action"), Value(target->wid), Value(1),
                                 Value(pressed != 0), pos, Value(Value::List{}),
                                 Value(Value::List{})});
    }
  }
}

void Client::onLocalInput(void* host, const rdk_input_event* event) {
  auto* self = static_cast<Client*>(host);
  if (!event || !self->channel_ || !self->summary_.handshakeOk)
    return;
  auto it = self->windows_.find(event->wid);
  const int32_t ox = it == self->windows_.end() ? 0 : it->second.geometry.x;
  const int32_t oy = it == self->windows_.end() ? 0 : it->second.geometry.y;
  const Value pos(Value::List{Value(event->x + ox), Value(event->y + oy)});
  switch (event->type) {
    case RDK_INPUT_KEY:
      self->channel_->send(Value::List{
          Value("key-action"), Value(event->wid), Value(event->keyname ? event->keyname : ""),
          Value(event->pressed != 0), Value(Value::List{}), Value(event->keyval), Value(""),
          Value(event->keycode), Value(0)});
      break;
    case RDK_INPUT_BUTTON:
      self->channel_->send(Value::List{Value("button-action"), Value(event->wid),
                                       Value(event->button), Value(event->pressed != 0), pos,
                                       Value(Value::List{}), Value(Value::List{})});
      break;
    case RDK_INPUT_MOTION:
      self->channel_->send(Value::List{Value("pointer-position"), Value(event->wid), pos,
                                       Value(Value::List{}), Value(Value::List{})},
                           Delivery::Droppable, 0x9017E4ull);
      break;
    default:
      break;
  }
}

}  // namespace rdk::session
