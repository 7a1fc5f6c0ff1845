// Stand-ins for what the client's handlers talk to: a sink that records packets, a clock the
// test moves, decoders that paint a known colour (or fail), a display that records events.
#pragma once

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rdk/protocol/message_dispatcher.h"
#include "rdk/session/client_draw.h"
#include "rdk/session/client_window_mirror.h"
#include "rdk/session/handler_interfaces.h"

namespace rdk::test {

struct SentPacket {
  protocol::Packet packet;
  session::Delivery delivery = session::Delivery::Reliable;
  uint64_t supersedeKey = 0;
};

class RecordingSink final : public session::PacketSink {
 public:
  bool sendPacket(const protocol::Packet& packet, session::Delivery delivery,
                  uint64_t supersedeKey) override {
    sent.push_back({packet, delivery, supersedeKey});
    return true;
  }
  /// The packets of type M, parsed back.
  template <protocol::Message M>
  std::vector<M> of() const {
    std::vector<M> out;
    for (const auto& s : sent) {
      if (s.packet.at(0).asBytes() == M::kType)
        out.push_back(M::fromPacket(s.packet));
    }
    return out;
  }
  std::vector<SentPacket> sent;
};

class FakeClock final : public session::Clock {
 public:
  uint64_t nowUs() const override {
    const uint64_t now = us;
    us += stepUs;  // every reading moves time on by |stepUs|
    return now;
  }
  mutable uint64_t us = 1'000'000;
  uint64_t stepUs = 0;
};

/// Paints every pixel with the first 4 bytes of the data (BGRX); "fail" fails.
class FakeDecoder final : public session::FrameDecoder {
 public:
  FakeDecoder(uint32_t w, uint32_t h, std::vector<std::string>* options)
      : w_(w), h_(h), options_(options) {}
  uint32_t width() const override { return w_; }
  uint32_t height() const override { return h_; }
  bool decode(const std::string& data, const std::string& optionsJson, rdk_image_out& out,
              std::string* error) override {
    options_->push_back(optionsJson);
    if (data == "fail" || data.size() < 4) {
      *error = "corrupt picture";
      return false;
    }
    for (uint32_t row = 0; row < out.height; ++row) {
      for (uint32_t col = 0; col < out.width; ++col)
        std::memcpy(out.pixels + size_t{row} * out.stride + size_t{col} * 4, data.data(), 4);
    }
    return true;
  }

 private:
  uint32_t w_, h_;
  std::vector<std::string>* options_;
};

class FakeDecoderSource final : public session::DecoderSource {
 public:
  std::unique_ptr<session::FrameDecoder> create(const std::string& coding, uint32_t width,
                                                uint32_t height, std::string* error) override {
    created.push_back(coding + " " + std::to_string(width) + "x" + std::to_string(height));
    if (coding == "unknown") {
      *error = "no plugin decodes 'unknown'";
      return nullptr;
    }
    return std::make_unique<FakeDecoder>(width, height, &options);
  }
  std::vector<std::string> created;  // "coding WxH", one per decoder made
  std::vector<std::string> options;  // the options JSON of every decode
};

class RecordingDisplay final : public session::ClientDisplay {
 public:
  struct Event {
    uint32_t type;
    uint64_t wid;
    rdk_rect rect;
    std::string metadataJson;
  };
  void windowEvent(const rdk_window_event& e) override {
    events.push_back({e.type, e.wid, e.rect, e.metadata_json ? e.metadata_json : ""});
  }
  void paint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image) override {
    paints.push_back({RDK_WINDOW_DAMAGE, wid, rdk_rect{x, y, image.width, image.height}, ""});
  }
  std::vector<Event> events;
  std::vector<Event> paints;
};

/// The ProtocolError's text of |f|, or "" when it throws none.
template <typename F>
std::string protocolErrorOf(F&& f) {
  try {
    f();
  } catch (const protocol::ProtocolError& e) {
    return e.what();
  }
  return "";
}

}  // namespace rdk::test
