#include "rdk/session/window_streamer.h"

#include <algorithm>

#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/server_context.h"

namespace rdk::session {

namespace {

// In-flight bookkeeping is only for loss callbacks; older entries are forgotten.
constexpr size_t kMaxInFlight = 4096;

encoding::Rect toRect(const rdk_rect& r) {
  return encoding::Rect{r.x, r.y, r.w, r.h};
}

// Clips |r| to a window of |w| x |h|; empty when outside.
encoding::Rect clip(const encoding::Rect& r, uint32_t w, uint32_t h) {
  const int64_t x0 = std::max<int64_t>(0, r.x), y0 = std::max<int64_t>(0, r.y);
  const int64_t x1 = std::min<int64_t>(w, int64_t{r.x} + r.w);
  const int64_t y1 = std::min<int64_t>(h, int64_t{r.y} + r.h);
  if (x1 <= x0 || y1 <= y0)
    return {};
  return encoding::Rect{static_cast<int32_t>(x0), static_cast<int32_t>(y0),
                        static_cast<uint32_t>(x1 - x0), static_cast<uint32_t>(y1 - y0)};
}

// A newer picture of exactly this area makes an unsent older one useless.
uint64_t supersedeKey(uint64_t wid, const encoding::Rect& r) {
  uint64_t h = wid * 0x9E3779B97F4A7C15ull;
  for (uint64_t v :
       {uint64_t(uint32_t(r.x)), uint64_t(uint32_t(r.y)), uint64_t(r.w), uint64_t(r.h)}) {
    h = (h ^ v) * 0x100000001B3ull;
  }
  return h | 1;  // never 0: 0 means "not superseded"
}

}  // namespace

WindowStreamer::WindowStreamer(plugin::Registry& registry, Desktop& desktop, PacketChannel& channel,
                               encoding::Selector selector, encoding::BatchSettings batch,
                               std::string encoderOptionsJson, bool sendCaptureTimestamps,
                               EncodedPictureCache* sharedEncodes)
    : registry_(registry),
      desktop_(desktop),
      channel_(channel),
      selector_(std::move(selector)),
      batcher_(batch),
      encoderOptionsJson_(std::move(encoderOptionsJson)),
      sendCaptureTimestamps_(sendCaptureTimestamps),
      sharedEncodes_(sharedEncodes) {}

WindowStreamer::~WindowStreamer() = default;

void WindowStreamer::addWindow(const ServerWindow& window, uint64_t nowUs) {
  streams_.erase(window.wid);
  streams_.emplace(window.wid,
                   Stream{encoding::WindowEncodingState(selector_.settings(), window.geometry.w,
                                                        window.geometry.h, nowUs),
                          {}});
  damage(window.wid, rdk_rect{0, 0, window.geometry.w, window.geometry.h}, nowUs);
}

void WindowStreamer::resizeWindow(uint64_t wid, uint32_t width, uint32_t height, uint64_t nowUs) {
  auto it = streams_.find(wid);
  if (it == streams_.end())
    return;
  it->second.state.onResize(width, height, nowUs);
  it->second.video.clear();  // video streams are sized at creation
  damage(wid, rdk_rect{0, 0, width, height}, nowUs);
}

void WindowStreamer::removeWindow(uint64_t wid) {
  streams_.erase(wid);
  batcher_.removeWindow(wid);
}

void WindowStreamer::damage(uint64_t wid, const rdk_rect& rect, uint64_t nowUs) {
  auto it = streams_.find(wid);
  if (it == streams_.end())
    return;
  const encoding::Rect r = clip(toRect(rect), it->second.state.width(), it->second.state.height());
  if (r.empty())
    return;
  it->second.state.onDamage(r, nowUs);
  batcher_.damage(wid, r, nowUs);
}

void WindowStreamer::damageAll(uint64_t nowUs) {
  for (auto& [wid, stream] : streams_) {
    damage(wid, rdk_rect{0, 0, stream.state.width(), stream.state.height()}, nowUs);
  }
}

void WindowStreamer::onAck(uint64_t sequence, uint64_t wid, int64_t decodeTimeUs, uint64_t nowUs) {
  batcher_.onAck(wid, sequence, nowUs);
  auto packet = packetBySequence_.find(sequence);
  if (packet != packetBySequence_.end()) {
    inFlight_.erase(packet->second);
    packetBySequence_.erase(packet);
  }
  auto it = streams_.find(wid);
  if (it == streams_.end())
    return;
  it->second.state.onAck(decodeTimeUs, nowUs);
  if (decodeTimeUs < 0) {
    // Xpra's rule: a decode error resets the stream (next frame is a key frame), then a full
    // refresh follows; the state schedules the refresh.
    ++stats_.decodeErrors;
    it->second.state.onDecodeError(nowUs);
    it->second.video.clear();
  }
}

void WindowStreamer::onLost(uint64_t packetId, bool superseded, uint64_t nowUs) {
  auto found = inFlight_.find(packetId);
  if (superseded)
    ++stats_.superseded;
  else
    ++stats_.lost;
  if (found == inFlight_.end())
    return;
  const InFlight lost = found->second;
  inFlight_.erase(found);
  packetBySequence_.erase(lost.sequence);
  batcher_.onLost(lost.wid, lost.sequence);
  auto it = streams_.find(lost.wid);
  if (it == streams_.end())
    return;
  it->second.state.onLost(nowUs);
  if (lost.video) {
    for (auto& [name, encoder] : it->second.video)
      encoder->requestKeyframe();
  } else if (!superseded) {
    // Fresh pixels beat stale ones: re-damage instead of re-sending (a superseding packet
    // already carries newer pixels of the same area).
    ++stats_.redamaged;
    damage(lost.wid, lost.rect, nowUs);
  }
}

encoding::NetworkState WindowStreamer::network() const {
  const rdk_transport_stats s = channel_.stats();
  encoding::NetworkState net;
  net.lossPermille = s.loss_permille;
  net.srttUs = s.srtt_us;
  net.bandwidthBps = s.bandwidth_bps;
  return net;
}

EncoderObject* WindowStreamer::encoderFor(uint64_t wid, Stream& stream,
                                          const encoding::Choice& choice) {
  auto& slot = choice.video ? stream.video[choice.encoding] : stills_[choice.encoding];
  if (choice.video && slot &&
      (slot->width() != stream.state.width() || slot->height() != stream.state.height())) {
    slot.reset();
  }
  if (slot)
    return slot.get();
  std::string why;
  plugin::LoadedPlugin* plugin =
      registry_.select(plugin::Kind::Encoder, choice.encoding, &why, plugin::featureEncodes);
  if (!plugin) {
    lastError_ = "no encoder plugin for " + choice.encoding + ": " + why;
    return nullptr;
  }
  const uint32_t w = choice.video ? stream.state.width() : 0;
  const uint32_t h = choice.video ? stream.state.height() : 0;
  slot = EncoderObject::create(*plugin, choice.encoding, w, h, encoderOptionsJson_, &lastError_);
  (void)wid;
  return slot.get();
}

bool WindowStreamer::encode(EncoderObject& encoder, const rdk_image& image,
                            const rdk_encode_params& params, const encoding::Choice& choice,
                            uint64_t nowUs, EncodedPicture* picture) {
  if (!sharedEncodes_ || !EncodedPictureCache::shareable(choice))
    return encoder.encode(image, params, picture, &lastError_);
  PictureKey key = EncodedPictureCache::makeKey(encoder, image, params, encoderOptionsJson_);
  if (const auto shared = sharedEncodes_->find(key, nowUs)) {
    *picture = *shared;
    ++stats_.sharedEncodes;
    return true;
  }
  const uint64_t startUs = monotonicUs();
  if (!encoder.encode(image, params, picture, &lastError_))
    return false;
  sharedEncodes_->insert(std::move(key), *picture, elapsedUs(monotonicUs(), startUs), nowUs);
  return true;
}

void WindowStreamer::send(uint64_t wid, Stream& stream, const encoding::Rect& requested,
                          const encoding::Choice& choice, uint64_t nowUs) {
  const encoding::Rect region =
      choice.video ? encoding::Rect{0, 0, stream.state.width(), stream.state.height()} : requested;
  if (region.empty())
    return;
  EncoderObject* encoder = encoderFor(wid, stream, choice);
  if (!encoder) {
    ++stats_.encodeErrors;
    return;
  }
  rdk_image image{};
  const rdk_rect captureRect{region.x, region.y, region.w, region.h};
  if (!desktop_.platform().capture(wid, captureRect, &image, &lastError_)) {
    ++stats_.encodeErrors;
    return;
  }
  rdk_encode_params params{};
  params.struct_size = sizeof(params);
  params.quality = choice.quality;
  params.speed = choice.speed;
  params.flags = (choice.keyframe ? uint32_t{RDK_ENCODE_KEYFRAME} : 0u) |
                 (choice.lossless ? uint32_t{RDK_ENCODE_LOSSLESS} : 0u);
  EncodedPicture picture;
  if (!encode(*encoder, image, params, choice, nowUs, &picture)) {
    ++stats_.encodeErrors;
    if (choice.video)
      stream.video.erase(choice.encoding);
    return;
  }
  protocol::Value options(protocol::Value::Dict{});
  if (!picture.optionsJson.empty()) {
    try {
      options = protocol::Value::fromJson(picture.optionsJson);
    } catch (const std::exception& e) {
      lastError_ = "encoder options are not JSON: " + std::string(e.what());
    }
    if (!options.isDict())
      options = protocol::Value(protocol::Value::Dict{});
  }
  if (sendCaptureTimestamps_) {
    // rdkernel clients use these to measure latency and to resynchronise video after a loss;
    // a stock Xpra client ignores unknown options.
    options.set("rdk.capture-us", protocol::Value(nowUs));
    if (picture.flags & RDK_ENCODED_KEYFRAME)
      options.set("rdk.keyframe", protocol::Value(true));
  }
  const uint64_t sequence = nextSequence_++;
  const uint64_t bytes = picture.data.size();
  protocol::Packet draw{protocol::Value("draw"),
                        protocol::Value(wid),
                        protocol::Value(region.x),
                        protocol::Value(region.y),
                        protocol::Value(region.w),
                        protocol::Value(region.h),
                        protocol::Value(picture.coding),
                        protocol::Value(std::move(picture.data)),
                        protocol::Value(sequence),
                        protocol::Value(picture.rowstride),
                        std::move(options)};
  uint64_t packetId = 0;
  channel_.send(draw, Delivery::Droppable, choice.video ? 0 : supersedeKey(wid, region), &packetId);
  if (inFlight_.size() >= kMaxInFlight) {
    packetBySequence_.erase(inFlight_.begin()->second.sequence);
    inFlight_.erase(inFlight_.begin());
  }
  inFlight_[packetId] = InFlight{wid, captureRect, choice.video, sequence};
  packetBySequence_[sequence] = packetId;
  batcher_.onSent(wid, sequence, nowUs);
  stream.state.onEncoded(choice, region, nowUs);
  ++stats_.draws;
  stats_.drawBytes += bytes;
  ++stats_.perEncoding[picture.coding];
  if (picture.flags & RDK_ENCODED_KEYFRAME)
    ++stats_.keyframes;
  if (choice.refresh)
    ++stats_.refreshes;
}

void WindowStreamer::tick(uint64_t nowUs) {
  const encoding::NetworkState net = network();
  for (const encoding::Batch& batch : batcher_.due(nowUs)) {
    auto it = streams_.find(batch.wid);
    if (it == streams_.end())
      continue;
    bool videoSent = false;
    for (const encoding::Rect& rect : batch.rects) {
      const encoding::Choice choice = selector_.choose(it->second.state, rect, net, nowUs);
      if (choice.encoding.empty())
        continue;
      if (choice.video && videoSent)
        continue;  // one video frame covers the whole window
      send(batch.wid, it->second, rect, choice, nowUs);
      videoSent = videoSent || choice.video;
    }
  }
  for (auto& [wid, stream] : streams_) {
    if (!stream.state.refreshDue(nowUs) || batcher_.backPressured(wid, nowUs))
      continue;
    const encoding::Rect whole{0, 0, stream.state.width(), stream.state.height()};
    const encoding::Choice choice = selector_.chooseRefresh(stream.state, whole, net, nowUs);
    if (!choice.encoding.empty())
      send(wid, stream, whole, choice, nowUs);
  }
}

std::vector<std::string> WindowStreamer::encodersInUse() const {
  std::vector<std::string> names;
  for (const auto& [name, encoder] : stills_)
    names.push_back(name);
  for (const auto& [wid, stream] : streams_) {
    for (const auto& [name, encoder] : stream.video) {
      if (std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(name);
    }
  }
  return names;
}

}  // namespace rdk::session
