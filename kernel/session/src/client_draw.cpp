#include "rdk/session/client_draw.h"

#include <algorithm>
#include <vector>

#include "rdk/kernel/plugin_objects.h"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::session {

using protocol::Value;

namespace {

class PluginFrameDecoder final : public FrameDecoder {
 public:
  explicit PluginFrameDecoder(std::unique_ptr<plugin::DecoderObject> decoder)
      : decoder_(std::move(decoder)) {}
  uint32_t width() const override { return decoder_->width(); }
  uint32_t height() const override { return decoder_->height(); }
  bool decode(const std::string& data, const std::string& optionsJson, rdk_image_out& out,
              std::string* error) override {
    return decoder_->decode(data, optionsJson, out, error);
  }

 private:
  std::unique_ptr<plugin::DecoderObject> decoder_;
};

// A video stream that lost a frame waits for its next key frame.
constexpr int64_t kAwaitingKeyframe = -1000;

}  // namespace

std::unique_ptr<FrameDecoder> PluginDecoderSource::create(const std::string& coding, uint32_t width,
                                                          uint32_t height, std::string* error) {
  plugin::LoadedPlugin* plugin =
      registry_.select(plugin::Kind::Encoder, coding, error, plugin::featureDecodes);
  if (!plugin)
    return nullptr;
  auto decoder = plugin::DecoderObject::create(*plugin, coding, width, height, error);
  if (!decoder)
    return nullptr;
  return std::make_unique<PluginFrameDecoder>(std::move(decoder));
}

void DrawHandler::registerWith(protocol::MessageDispatcher& d) {
  d.on<protocol::Draw>([this](const protocol::Draw& draw) { onDraw(draw); });
}

void DrawHandler::ack(const protocol::Draw& draw, int64_t decodeTimeUs, std::string message) {
  sink_.send(protocol::DamageSequence{draw.packetSequence, draw.wid, draw.width, draw.height,
                                      decodeTimeUs, std::move(message)});
}

void DrawHandler::onDraw(const protocol::Draw& draw) {
  ClientWindow* window = windows_.find(static_cast<uint64_t>(draw.wid));
  if (!window || draw.width <= 0 || draw.height <= 0 || draw.width > WindowMirror::kMaxWindowSide ||
      draw.height > WindowMirror::kMaxWindowSide) {
    ack(draw, 0, "");  // painting skipped
    return;
  }
  if (draw.coding == protocol::Draw::kScrollCoding) {
    onScroll(*window, draw);
    return;
  }
  const uint32_t w = static_cast<uint32_t>(draw.width), h = static_cast<uint32_t>(draw.height);
  const Value options(draw.options);
  const Value* frame = options.find("frame");
  if (frame && frame->isInt()) {
    const Value* keyOption = options.find("rdk.keyframe");
    const bool key = frame->asInt() == 0 || (keyOption && keyOption->asBool());
    auto last = window->lastVideoFrame.find(draw.coding);
    if (!key && last != window->lastVideoFrame.end()) {
      if (last->second == kAwaitingKeyframe) {
        ack(draw, -1, "waiting for a key frame");
        return;
      }
      if (frame->asInt() != last->second + 1) {
        ++stats_.videoGaps;
        last->second = kAwaitingKeyframe;
        ack(draw, -1, "video frame gap");
        return;
      }
    }
    window->lastVideoFrame[draw.coding] = frame->asInt();
  }
  auto& decoder = window->decoders[draw.coding];
  if (decoder && (decoder->width() != w || decoder->height() != h) && frame)
    decoder.reset();  // video decoders are sized
  std::string error;
  if (!decoder) {
    decoder = decoders_.create(draw.coding, w, h, &error);
    if (!decoder) {
      ++stats_.decodeErrors;
      ack(draw, -1, "no decoder for " + draw.coding + ": " + error);
      return;
    }
  }
  std::vector<uint8_t> pixels(size_t{w} * h * 4);
  rdk_image_out out{sizeof(rdk_image_out), w, h, w * 4, RDK_PIXEL_BGRX, pixels.data()};
  const uint64_t start = clock_.nowUs();
  std::string optionsJson;
  if (draw.rowstride > 0 && !options.find("rowstride")) {
    // The rgb decoders need the row stride, which travels outside the options.
    Value withStride = options;
    withStride.set("rowstride", Value(draw.rowstride));
    optionsJson = withStride.toJson();
  } else {
    optionsJson = options.toJson();
  }
  if (!decoder->decode(draw.data, optionsJson, out, &error)) {
    ++stats_.decodeErrors;
    window->decoders.erase(draw.coding);
    window->lastVideoFrame.erase(draw.coding);
    ack(draw, -1, error);
    return;
  }
  const uint64_t end = clock_.nowUs();
  const uint64_t decodeUs = std::max<uint64_t>(1, end > start ? end - start : 0);
  const int32_t x = static_cast<int32_t>(draw.x), y = static_cast<int32_t>(draw.y);
  window->blit(x, y, out);
  if (display_) {
    rdk_image image{sizeof(rdk_image), w, h, w * 4, RDK_PIXEL_BGRX, pixels.data()};
    display_->paint(window->wid, x, y, image);
  }
  painted(draw);
  ack(draw, static_cast<int64_t>(decodeUs), "");
}

void DrawHandler::painted(const protocol::Draw& draw) {
  ++stats_.draws;
  stats_.drawBytes += draw.data.size();
  ++stats_.drawsPerEncoding[draw.coding];
  stats_.pixelsPerEncoding[draw.coding] += uint64_t(draw.width) * uint64_t(draw.height);
  const Value options(draw.options);
  if (const Value* ts = options.find("rdk.capture-us"); ts && ts->isInt()) {
    // Same host only (the server stamps with its monotonic clock; capture-timestamps is offered
    // by our client and honoured by our server): a stamp from the future is not a latency.
    const uint64_t stamp = static_cast<uint64_t>(ts->asInt()), now = clock_.nowUs();
    if (stamp <= now)
      stats_.latency.add(double(now - stamp) / 1000.0);
  }
}

void DrawHandler::onScroll(ClientWindow& window, const protocol::Draw& draw) {
  // Xpra 3.1.3's scroll encoding: copies of what the window shows, no decoder.
  const uint64_t start = clock_.nowUs();
  rdk_rect area{};
  std::string error;
  if (!window.scroll(draw.scrolls, &area, &error)) {
    ++stats_.decodeErrors;
    ack(draw, -1, error);  // the server refreshes the window
    return;
  }
  if (display_ && area.w > 0 && area.h > 0) {
    const uint32_t stride = window.geometry.w * 4;
    rdk_image image{sizeof(rdk_image),
                    area.w,
                    area.h,
                    stride,
                    RDK_PIXEL_BGRX,
                    window.pixels.data() + size_t(area.y) * stride + size_t(area.x) * 4};
    display_->paint(window.wid, area.x, area.y, image);
  }
  const uint64_t end = clock_.nowUs();
  painted(draw);
  ack(draw, static_cast<int64_t>(std::max<uint64_t>(1, end > start ? end - start : 0)), "");
}

}  // namespace rdk::session
