#include "rdk/session/encode_job.h"
#include "rdk/base/clock.h"

#include <optional>

#include "rdk/protocol/messages/draw.h"
#include "rdk/session/server_context.h"

namespace rdk::session {

namespace {

plugin::EncoderObject* encoderFor(EncodeJob& job, WindowEncoders& encoders, std::string* error) {
  auto& slot =
      job.choice.video ? encoders.video[job.choice.encoding] : encoders.stills[job.choice.encoding];
  if (job.choice.video && slot &&
      (slot->width() != job.windowWidth || slot->height() != job.windowHeight)) {
    slot.reset();
  }
  if (slot)
    return slot.get();
  if (!job.plugin) {
    *error = "no encoder plugin for " + job.choice.encoding;
    return nullptr;
  }
  const uint32_t w = job.choice.video ? job.windowWidth : 0;
  const uint32_t h = job.choice.video ? job.windowHeight : 0;
  slot = plugin::EncoderObject::create(*job.plugin, job.choice.encoding, w, h,
                                       job.encoderOptionsJson, error);
  return slot.get();
}

protocol::Value::Dict drawOptions(const plugin::EncodedPicture& picture, std::string* error) {
  if (picture.optionsJson.empty())
    return {};
  try {
    protocol::Value options = protocol::Value::fromJson(picture.optionsJson);
    if (options.isDict())
      return options.asDict();
  } catch (const std::exception& e) {
    *error = "encoder options are not JSON: " + std::string(e.what());
  }
  return {};
}

}  // namespace

rdk_encode_params encodeParams(const encoding::Choice& choice, bool forceKeyframe) {
  rdk_encode_params params{};
  params.struct_size = sizeof(params);
  params.quality = choice.quality;
  params.speed = choice.speed;
  params.flags = (choice.keyframe || forceKeyframe ? uint32_t{RDK_ENCODE_KEYFRAME} : 0u) |
                 (choice.lossless ? uint32_t{RDK_ENCODE_LOSSLESS} : 0u);
  return params;
}

EncodeResult runEncodeJob(EncodeJob& job, WindowEncoders& encoders, PacketChannel& channel,
                          EncodedPictureCache* sharedEncodes) {
  EncodeResult result;
  result.wid = job.wid;
  result.packetId = job.packetId;
  result.refresh = job.choice.refresh;
  result.encoding = job.choice.encoding;
  result.pixels = job.region.pixels();
  if (job.resetVideo)
    encoders.video.clear();
  if (!job.scrolls.empty()) {
    protocol::Draw draw;
    draw.wid = static_cast<int64_t>(job.wid);
    draw.x = job.region.x;
    draw.y = job.region.y;
    draw.width = job.region.w;
    draw.height = job.region.h;
    draw.coding = protocol::Draw::kScrollCoding;
    draw.packetSequence = static_cast<int64_t>(job.sequence);
    if (job.sendCaptureTimestamps) {
      protocol::Value options(protocol::Value::Dict{});
      options.set("rdk.capture-us", protocol::Value(job.captureUs));
      draw.options = std::move(options.asDict());
    }
    result.coding = draw.coding;
    result.bytes = job.scrolls.size() * 6 * sizeof(int32_t);
    draw.scrolls = std::move(job.scrolls);
    channel.sendWithId(draw.toPacket(), Delivery::Reliable, 0, job.packetId);
    result.ok = true;
    return result;
  }
  plugin::EncodedPicture picture;
  if (job.sharedPicture) {
    // Another session encoded this picture before the loop booked ours: no encoder needed.
    picture = *job.sharedPicture;
    job.sharedPicture.reset();
    result.shared = true;
  }
  plugin::EncoderObject* encoder =
      result.shared ? nullptr : encoderFor(job, encoders, &result.error);
  if (!result.shared && !encoder)
    return result;
  const rdk_encode_params params = encodeParams(job.choice, job.forceKeyframe);
  job.image.pixels = job.pixels.data();

  const uint64_t startUs = monotonicUs();
  std::optional<PictureKey> key;
  if (!result.shared && sharedEncodes && EncodedPictureCache::shareable(job.choice)) {
    key = job.sharedKey
              ? std::move(*job.sharedKey)
              : EncodedPictureCache::makeKey(*encoder, job.image, params, job.encoderOptionsJson);
    // Waits when a worker of another session is encoding the same picture right now.
    if (const auto shared = sharedEncodes->acquire(*key, job.captureUs)) {
      picture = *shared;
      result.shared = true;
    }
  }
  if (!result.shared) {
    if (!encoder->encode(job.image, params, &picture, &result.error)) {
      if (key)
        sharedEncodes->abandon(*key);  // we held its claim: a waiting worker tries instead
      if (job.choice.video)
        encoders.video.erase(job.choice.encoding);  // the next frame starts a new stream
      return result;
    }
    result.encodeUs = elapsedUs(monotonicUs(), startUs);
    if (key)
      sharedEncodes->insert(std::move(*key), picture, result.encodeUs, job.captureUs);
  }

  protocol::Draw draw;
  draw.wid = static_cast<int64_t>(job.wid);
  draw.x = job.region.x;
  draw.y = job.region.y;
  draw.width = job.region.w;
  draw.height = job.region.h;
  draw.coding = picture.coding;
  draw.packetSequence = static_cast<int64_t>(job.sequence);
  draw.rowstride = picture.rowstride;
  protocol::Value options(drawOptions(picture, &result.error));
  if (job.sendCaptureTimestamps) {
    // rdkernel clients use these to measure latency and to resynchronise video after a loss;
    // a stock Xpra client ignores unknown options.
    options.set("rdk.capture-us", protocol::Value(job.captureUs));
    if (picture.flags & RDK_ENCODED_KEYFRAME)
      options.set("rdk.keyframe", protocol::Value(true));
  }
  draw.options = std::move(options.asDict());
  result.coding = picture.coding;
  result.bytes = picture.data.size();
  result.keyframe = (picture.flags & RDK_ENCODED_KEYFRAME) != 0;
  draw.data = std::move(picture.data);
  channel.sendWithId(draw.toPacket(), Delivery::Droppable, job.supersedeKey, job.packetId);
  result.ok = true;
  return result;
}

}  // namespace rdk::session
