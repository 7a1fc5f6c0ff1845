// Hello requests that want no session (Xpra 3.1.3's server_base.hello_oked): `xpra detach`,
// `xpra stop` / `rdkernel stop`, `xpra screenshot`. They carry no encodings, so they are answered
// after authentication and before encoding negotiation. Also what `info` says of each client.
#include <Poco/Logger.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "rdk/base/clock.h"
#include "rdk/kernel/plugin_objects.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/desktop.h"
#include "rdk/session/server_context.h"
#include "rdk/session/server_session.h"

namespace rdk::session {

using protocol::Value;

namespace {

// Xpra's disconnect reasons (xpra/util.py).
constexpr const char* kDetachRequest = "detach request";
constexpr const char* kServerShutdown = "server shutdown";
// Time the client has to read the screenshot before we close (Xpra waits 5 s).
constexpr uint64_t kScreenshotLingerUs = 5'000'000;

bool isRequest(const protocol::Capabilities& caps, const std::string& mode) {
  return caps.getString("request").value_or("") == mode ||
         caps.getBool(mode + "_request").value_or(false);
}

}  // namespace

bool ServerSession::handleRequest(const protocol::Capabilities& caps) {
  if (isRequest(caps, "screenshot")) {
    sendScreenshot();
    return true;
  }
  if (isRequest(caps, "detach")) {
    // Every other client goes, then this one, saying how many (as Xpra 3.1.3 words it).
    size_t others = 0;
    if (context_.sessions) {
      for (const auto& session : *context_.sessions) {
        if (session.get() != this && session->active()) {
          session->disconnect(kDetachRequest);
          ++others;
        }
      }
    }
    disconnect("done", std::to_string(others) + " other clients have been disconnected");
    return true;
  }
  if (isRequest(caps, "stop")) {
    // Authenticated like any client (server.auth): everyone is told, then the server ends.
    Poco::Logger::get("rdk.server")
        .information("stop requested by %s (%s)", peer(),
                     username_.empty() ? std::string("no username") : username_);
    if (context_.sessions) {
      for (const auto& session : *context_.sessions) {
        if (session.get() != this)
          session->disconnect(kServerShutdown);
      }
    }
    disconnect(kServerShutdown, "stop request");
    context_.shutdownRequested = true;
    return true;
  }
  return false;
}

namespace {
/// A measurement to two decimals: 90.4 fps, not 90.40296173095703 (issue 20 item 10).
Value measured(double value) {
  return Value(std::round(value * 100.0) / 100.0);
}
}  // namespace

void ServerSession::describeClient(Value& info, const std::string& prefix, uint64_t nowUs) const {
  info.set(prefix + "address", Value(peer_));
  info.set(prefix + "transport", Value(binding_.spec.scheme));
  info.set(prefix + "username", Value(username_));
  info.set(prefix + "connected-s", Value(elapsedUs(nowUs, connectedUs_) / 1'000'000));
  const rdk_transport_stats t = channel_->stats();
  info.set(prefix + "srtt-ms", Value(double(t.srtt_us) / 1000.0));
  info.set(prefix + "loss-permille", Value(t.loss_permille));
  info.set(prefix + "bytes-sent", Value(channel_->bytesSent()));
  if (const LatencyStats& rtt = liveness_.rtt(); rtt.count())
    info.set(prefix + "latency-p50-ms", measured(rtt.recentPercentile(50)));
  if (streamer_) {
    Value::List inUse;
    for (const auto& name : streamer_->encodersInUse())
      inUse.emplace_back(name);
    info.set(prefix + "encodings", Value(std::move(inUse)));
    const StreamStats& s = streamer_->stats();
    const double seconds = double(elapsedUs(nowUs, connectedUs_)) / 1e6;
    info.set(prefix + "fps", measured(seconds > 0 ? double(s.draws) / seconds : 0.0));
    info.set(prefix + "draws", Value(s.draws));
    info.set(prefix + "draw-bytes", Value(s.drawBytes));
  }
  if (sound_) {
    // The codec of the current (or last) stream; empty until the client asked for sound.
    info.set(prefix + "sound.codec", Value(sound_->codec()));
    info.set(prefix + "sound.streaming", Value(sound_->streaming()));
    info.set(prefix + "sound.frames", Value(sound_->totalFrames()));
    info.set(prefix + "sound.bytes", Value(sound_->totalBytes()));
  }
}

void ServerSession::sendScreenshot() {
  // The normal windows composed on the desktop's bounds, in window order, as one PNG
  // (["screenshot", w, h, "png", rowstride, data]); an empty desktop is an empty picture, which
  // the stock client reports as "screenshot is empty".
  const rdk_rect bounds = context_.desktop.bounds();
  const uint32_t width = bounds.w, height = bounds.h;
  std::string error;
  std::string png;
  if (width > 0 && height > 0) {
    std::vector<uint8_t> pixels(size_t{width} * height * 4, 0);
    for (const auto& [wid, window] : context_.desktop.windows()) {
      if (window.kind != WindowKind::Normal || window.geometry.w == 0 || window.geometry.h == 0)
        continue;
      rdk_image image{};
      image.struct_size = sizeof(image);
      const rdk_rect whole{0, 0, window.geometry.w, window.geometry.h};
      if (!context_.desktop.platform().capture(wid, whole, &image, &error))
        continue;  // a window that went away meanwhile: the rest is still a screenshot
      if (image.format != RDK_PIXEL_BGRX && image.format != RDK_PIXEL_BGRA)
        continue;
      const int64_t left = int64_t{window.geometry.x} - bounds.x;
      const int64_t top = int64_t{window.geometry.y} - bounds.y;
      for (uint32_t row = 0; row < image.height; ++row) {
        const int64_t y = top + row;
        if (y < 0 || y >= int64_t{height})
          continue;
        const int64_t x0 = std::max<int64_t>(left, 0);
        const int64_t x1 = std::min<int64_t>(left + image.width, width);
        if (x1 <= x0)
          continue;
        std::memcpy(pixels.data() + (size_t(y) * width + size_t(x0)) * 4,
                    image.pixels + size_t{row} * image.stride + size_t(x0 - left) * 4,
                    size_t(x1 - x0) * 4);
      }
    }
    plugin::LoadedPlugin* encoder =
        context_.registry.select(plugin::Kind::Encoder, "png", &error, plugin::featureEncodes);
    std::unique_ptr<plugin::EncoderObject> object;
    if (encoder)
      object = plugin::EncoderObject::create(*encoder, "png", width, height, "", &error);
    plugin::EncodedPicture picture;
    rdk_image composed{};
    composed.struct_size = sizeof(composed);
    composed.width = width;
    composed.height = height;
    composed.stride = width * 4;
    composed.format = RDK_PIXEL_BGRX;
    composed.pixels = pixels.data();
    rdk_encode_params params{};
    params.struct_size = sizeof(params);
    params.quality = 100;
    params.speed = -1;
    params.flags = RDK_ENCODE_LOSSLESS;
    if (!object || !object->encode(composed, params, &picture, &error)) {
      disconnect("screenshot failed", error);
      return;
    }
    png = std::move(picture.data);
  }
  channel_->send(protocol::Packet{Value("screenshot"), Value(uint64_t{width}),
                                  Value(uint64_t{height}), Value("png"), Value(uint64_t{width} * 4),
                                  Value(std::move(png))});
  disconnect("done", "screenshot sent", kScreenshotLingerUs);
}

}  // namespace rdk::session
