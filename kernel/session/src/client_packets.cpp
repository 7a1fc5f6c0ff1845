// Client: the packet dispatch (every packet parsed once into its typed message), the handshake
// (hello, challenge, disconnect) and the native display's side (its input, our window events).
#include <cstdio>

#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/challenge_answer.h"
#include "rdk/session/client.h"
#include "rdk/session/packet_format.h"

namespace rdk::session {

using protocol::Value;

void ignoreUnusedServerPackets(protocol::MessageDispatcher& d) {
  d.ignore<protocol::SetDeflate>();
  d.ignore<protocol::StartupComplete>();
  d.ignore<protocol::InfoResponse>();
  d.ignore<protocol::SettingChange>();
  d.ignore<protocol::ServerEvent>();
  d.ignore<protocol::SoundData>();  // not announced (hello_builder.cpp): only a peer's mistake
  d.ignore<protocol::SoundControl>();
  d.ignore<protocol::Cursor>();
  d.ignore<protocol::PointerPosition>();
  d.ignore<protocol::WindowIcon>();
}

void Client::registerHandlers() {
  dispatcher_.on<protocol::Hello>([this](const protocol::Hello& h) { handleServerHello(h); });
  dispatcher_.on<protocol::Challenge>([this](const protocol::Challenge& c) { handleChallenge(c); });
  dispatcher_.on<protocol::Disconnect>(
      [this](const protocol::Disconnect& d) { handleDisconnect(d); });
  mirror_.registerWith(dispatcher_);
  draws_.registerWith(dispatcher_);
  liveness_.registerWith(dispatcher_);
  // Counted; a headless client has nothing more to do with them (still checked).
  ignoreUnusedServerPackets(dispatcher_);
  // ... but a native display shows cursor shapes (replaces the ignore above).
  dispatcher_.on<protocol::Cursor>([this](const protocol::Cursor& c) { showCursor(c); });
  dispatcher_.onUnknown([](std::string_view type, const protocol::Packet&) {
    std::fprintf(stderr, "rdkernel attach: ignoring '%.*s' packets (not handled)\n",
                 static_cast<int>(type.size()), type.data());
  });
}

void Client::handlePacket(const protocol::Packet& packet) {
  std::string type;
  try {
    type = protocol::MessageDispatcher::typeOf(packet);
    if (dispatcher_.handles(type))
      ++summary_.packetsPerType[type];  // unknown types: counted by the dispatcher, bounded
    dispatcher_.dispatch(packet);
  } catch (const protocol::ProtocolError& e) {
    const bool handshake = type == protocol::Hello::kType || type == protocol::Challenge::kType ||
                           type == protocol::Disconnect::kType;
    if (type.empty() || handshake) {
      fail(std::string(protocol::disconnect_reason::kProtocolError), e.what());
      return;
    }
    // Xpra's clients log a packet they cannot handle and go on; so do we, once per type.
    ++summary_.malformedPackets;
    if (malformed_.add(type))
      std::fprintf(stderr, "rdkernel attach: skipping malformed packets: %s\n", e.what());
  } catch (const std::exception& e) {
    fail(std::string(protocol::disconnect_reason::kProtocolError), e.what());
  }
}

void Client::fail(const std::string& reason, const std::string& detail) {
  summary_.endReason = reason + ": " + detail;
  sink_.send(protocol::Disconnect{reason, {detail}});
  done_ = true;
}

void Client::handleChallenge(const protocol::Challenge& challenge) {
  if (challenged_) {
    summary_.endReason = "the server challenged twice";
    done_ = true;
    return;
  }
  challenged_ = true;
  std::string response, clientSalt, error;
  if (!answerChallenge(registry_, challenge, options_.password, &response, &clientSalt, &error)) {
    summary_.endReason = error;
    done_ = true;
    return;
  }
  sendHello(response, clientSalt);
}

void Client::handleServerHello(const protocol::Hello& hello) {
  serverCaps_.emplace(hello.caps);
  const PacketFormat format = negotiatePacketFormat(*serverCaps_);
  channel_->setWriterFormat(format.encoding, format.compression, format.level);
  channel_->setPeerAliases({});
  if (!options_.password.empty() && !challenged_) {
    summary_.endReason = "the server did not request our password";
    done_ = true;
    return;
  }
  summary_.handshakeOk = true;
  const std::vector<int64_t> size = serverCaps_->getIntList("desktop_size");
  if (size.size() >= 2) {
    desktopWidth_ = static_cast<uint32_t>(size[0]);
    desktopHeight_ = static_cast<uint32_t>(size[1]);
  }
}

void Client::handleDisconnect(const protocol::Disconnect& disconnect) {
  summary_.endReason = "server: " + disconnect.reason;
  if (!disconnect.extra.empty())
    summary_.endReason += ": " + disconnect.extra.front();
  done_ = true;
}

void Client::windowEvent(const rdk_window_event& event) {
  if (!display_)
    return;
  std::string error;
  display_->displayWindow(event, &error);
}

void Client::showCursor(const protocol::Cursor& cursor) {
  if (!display_)
    return;
  rdk_window_event event{};
  event.struct_size = sizeof(event);
  event.type = RDK_WINDOW_CURSOR;
  rdk_image image{};
  if (!cursor.isDefault()) {
    // We announce encodings.cursor ["raw"] only: BGRA rows, no padding. Anything else is a
    // peer's mistake and leaves the cursor as it is.
    const auto w = cursor.width, h = cursor.height;
    if (cursor.encoding != "raw" || w <= 0 || h <= 0 || w > 256 || h > 256 ||
        cursor.pixels.size() != static_cast<size_t>(w * h * 4)) {
      ++summary_.malformedPackets;
      return;
    }
    image.struct_size = sizeof(image);
    image.width = static_cast<uint32_t>(w);
    image.height = static_cast<uint32_t>(h);
    image.stride = image.width * 4;
    image.format = RDK_PIXEL_BGRA;
    image.pixels = reinterpret_cast<const uint8_t*>(cursor.pixels.data());
    event.image = &image;
    event.rect = {static_cast<int32_t>(cursor.xhot), static_cast<int32_t>(cursor.yhot), image.width,
                  image.height};
  }
  std::string error;
  display_->displayWindow(event, &error);  // NULL image: the default cursor
}

void Client::paint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) {
  if (!display_)
    return;
  std::string error;
  display_->displayPaint(wid, x, y, image, &error);
}

void Client::onLocalInput(void* host, const rdk_input_event* event) {
  auto* self = static_cast<Client*>(host);
  if (!event || !self->channel_ || !self->summary_.handshakeOk)
    return;
  self->input_.local(*event);
}

}  // namespace rdk::session
