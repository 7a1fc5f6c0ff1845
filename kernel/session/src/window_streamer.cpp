#include "rdk/session/window_streamer.h"

#include <algorithm>
#include <cstring>
#include <utility>

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
                               EncodedPictureCache* sharedEncodes, EncodePool* pool)
    : registry_(registry),
      desktop_(desktop),
      channel_(channel),
      selector_(std::move(selector)),
      batcher_(batch),
      encoderOptionsJson_(std::move(encoderOptionsJson)),
      sendCaptureTimestamps_(sendCaptureTimestamps),
      sharedEncodes_(sharedEncodes),
      pool_(pool) {}

WindowStreamer::~WindowStreamer() {
  for (auto& [wid, stream] : streams_)
    stream.lane->shutdown();
}

WindowStreamer::Stream& WindowStreamer::openStream(uint64_t wid, uint32_t width, uint32_t height,
                                                   uint64_t nowUs) {
  auto old = streams_.find(wid);
  if (old != streams_.end()) {
    old->second.lane->close();
    streams_.erase(old);
  }
  Stream stream{encoding::WindowEncodingState(selector_.settings(), width, height, nowUs),
                std::make_shared<WindowEncoders>(),
                pool_ ? pool_->newLane() : std::make_shared<EncodePool::Lane>()};
  stream.regions.resize(width, height);
  return streams_.emplace(wid, std::move(stream)).first->second;
}

void WindowStreamer::addWindow(const ServerWindow& window, uint64_t nowUs) {
  openStream(window.wid, window.geometry.w, window.geometry.h, nowUs);
  damage(window.wid, rdk_rect{0, 0, window.geometry.w, window.geometry.h}, nowUs);
}

void WindowStreamer::resizeWindow(uint64_t wid, uint32_t width, uint32_t height, uint64_t nowUs) {
  auto it = streams_.find(wid);
  if (it == streams_.end())
    return;
  it->second.state.onResize(width, height, nowUs);
  it->second.regions.resize(width, height);
  it->second.scrollRefs.clear();
  it->second.resetVideo = true;  // video streams are sized at creation
  damage(wid, rdk_rect{0, 0, width, height}, nowUs);
}

void WindowStreamer::removeWindow(uint64_t wid) {
  auto it = streams_.find(wid);
  if (it != streams_.end()) {
    // A job still running sends one last draw the client ignores; the loop does not wait for it.
    it->second.lane->close();
    streams_.erase(it);
  }
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

void WindowStreamer::forget(uint64_t packetId) {
  auto found = inFlight_.find(packetId);
  if (found == inFlight_.end())
    return;
  packetBySequence_.erase(found->second.sequence);
  inFlight_.erase(found);
}

void WindowStreamer::onAck(uint64_t sequence, uint64_t wid, int64_t decodeTimeUs, uint64_t nowUs) {
  batcher_.onAck(wid, sequence, nowUs);
  std::string encoding;
  uint64_t pixels = 0;
  auto packet = packetBySequence_.find(sequence);
  if (packet != packetBySequence_.end()) {
    if (auto sent = inFlight_.find(packet->second); sent != inFlight_.end()) {
      encoding = sent->second.encoding;
      pixels = toRect(sent->second.rect).pixels();
    }
    forget(packet->second);
  }
  auto it = streams_.find(wid);
  if (it == streams_.end())
    return;
  it->second.state.onAck(decodeTimeUs, nowUs);
  // The client paints a window's draws in order: its decode times count like encode times.
  if (decodeTimeUs > 0 && !encoding.empty())
    it->second.state.onDecodeTime(encoding, pixels, static_cast<uint64_t>(decodeTimeUs), nowUs);
  if (decodeTimeUs < 0) {
    // Xpra's rule: a decode error resets the stream (next frame is a key frame), then a full
    // refresh follows; the state schedules the refresh.
    ++stats_.decodeErrors;
    it->second.state.onDecodeError(nowUs);
    it->second.resetVideo = true;
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
  forget(packetId);
  batcher_.onLost(lost.wid, lost.sequence);
  auto it = streams_.find(lost.wid);
  if (it == streams_.end())
    return;
  it->second.state.onLost(nowUs);
  if (!lost.scrollArea.empty()) {
    // The rows of a scroll were lost: the next scroll would move what the client lacks. The
    // whole area is sent again and its reference dropped.
    ++stats_.redamaged;
    forgetRows(it->second, lost.scrollArea);
    damage(lost.wid,
           rdk_rect{lost.scrollArea.x, lost.scrollArea.y, lost.scrollArea.w, lost.scrollArea.h},
           nowUs);
  } else if (lost.video) {
    it->second.forceKeyframe = true;
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

const plugin::LoadedPlugin* WindowStreamer::encoderPlugin(const std::string& encoding) {
  auto cached = plugins_.find(encoding);
  if (cached != plugins_.end())
    return cached->second;
  std::string why;
  const plugin::LoadedPlugin* plugin =
      registry_.select(plugin::Kind::Encoder, encoding, &why, plugin::featureEncodes);
  if (!plugin)
    lastError_ = "no encoder plugin for " + encoding + ": " + why;
  plugins_[encoding] = plugin;
  return plugin;
}

void WindowStreamer::schedule(uint64_t wid, Stream& stream, const encoding::Rect& region,
                              const encoding::Choice& choice, uint64_t nowUs) {
  if (region.empty())
    return;
  // Capture stays on the loop: platform plugins are not required to be thread-safe (the ABI
  // promises them one caller).
  rdk_image image{};
  const rdk_rect captureRect{region.x, region.y, region.w, region.h};
  if (!desktop_.platform().capture(wid, captureRect, &image, &lastError_)) {
    ++stats_.encodeErrors;
    return;
  }
  scheduleImage(wid, stream, region, choice, image, nowUs);
  if (!choice.video && scrollingFor(stream))
    rememberRows(stream, region, image, !choice.lossless);
}

void WindowStreamer::book(uint64_t wid, Stream& stream, EncodeJob& job, const rdk_rect& rect,
                          bool video, uint64_t nowUs, const encoding::Rect& afterScroll) {
  job.wid = wid;
  job.captureUs = nowUs;
  job.sendCaptureTimestamps = sendCaptureTimestamps_;
  job.sequence = nextSequence_++;
  job.packetId = channel_.reservePacketId();
  // Booked before the encode: a loss report can never name an unknown packet, and back-pressure
  // counts frames still being encoded.
  if (inFlight_.size() >= kMaxInFlight)
    forget(inFlight_.begin()->first);
  inFlight_[job.packetId] =
      InFlight{wid, rect, video, job.sequence, afterScroll, job.choice.encoding};
  packetBySequence_[job.sequence] = job.packetId;
  batcher_.onSent(wid, job.sequence, nowUs);
  (void)stream;
}

void WindowStreamer::post(Stream& stream, std::shared_ptr<EncodeJob> job) {
  auto run = [job, encoders = stream.encoders, channel = &channel_, cache = sharedEncodes_,
              completions = completions_] {
    EncodeResult result = runEncodeJob(*job, *encoders, *channel, cache);
    std::lock_guard<std::mutex> lock(completions->mutex);
    completions->results.push_back(std::move(result));
  };
  if (pool_)
    pool_->post(stream.lane, std::move(run));
  else
    run();
}

void WindowStreamer::scheduleImage(uint64_t wid, Stream& stream, const encoding::Rect& region,
                                   const encoding::Choice& choice, const rdk_image& image,
                                   uint64_t nowUs, const encoding::Rect& afterScroll) {
  auto job = std::make_shared<EncodeJob>();
  job->plugin = encoderPlugin(choice.encoding);
  if (!job->plugin) {
    ++stats_.encodeErrors;
    return;
  }
  if (std::find(encodingsUsed_.begin(), encodingsUsed_.end(), choice.encoding) ==
      encodingsUsed_.end()) {
    encodingsUsed_.push_back(choice.encoding);
  }
  // Whatever the client showed here changes: a scroll reference of this area no longer holds.
  forgetRows(stream, region);
  if (sharedEncodes_ && EncodedPictureCache::shareable(choice)) {
    // Hashed here, in the platform's buffer: when another session has already encoded this
    // picture with the same settings, the job needs no copy of it.
    job->sharedKey =
        EncodedPictureCache::makeKey(job->plugin->descriptor->encoder, choice.encoding, image,
                                     encodeParams(choice, false), encoderOptionsJson_);
    job->sharedPicture = sharedEncodes_->peek(*job->sharedKey, nowUs);
  }
  // The pixels are copied for the worker (~1 ms for 1080p): the platform's buffer changes as the
  // loop polls on.
  const size_t rowBytes = size_t{image.width} * 4;
  if (!job->sharedPicture) {
    job->pixels.resize(rowBytes * image.height);
    for (uint32_t row = 0; row < image.height; ++row) {
      std::memcpy(job->pixels.data() + row * rowBytes, image.pixels + size_t{row} * image.stride,
                  rowBytes);
    }
  }
  job->image = image;
  job->image.stride = static_cast<uint32_t>(rowBytes);
  job->image.pixels = nullptr;  // set by the job to its own copy
  job->region = region;
  job->choice = choice;
  // A video encoder is sized to what it encodes (the video region): re-created only when that
  // size changes.
  job->windowWidth = region.w;
  job->windowHeight = region.h;
  job->resetVideo = std::exchange(stream.resetVideo, false);
  if (choice.video)
    job->forceKeyframe = std::exchange(stream.forceKeyframe, false);
  job->encoderOptionsJson = encoderOptionsJson_;
  // Rows sent after a scroll must all arrive: a newer picture of the same rows belongs to a
  // later scroll and does not replace them.
  job->supersedeKey = choice.video || !afterScroll.empty() ? 0 : supersedeKey(wid, region);
  book(wid, stream, *job, rdk_rect{region.x, region.y, region.w, region.h}, choice.video, nowUs,
       afterScroll);
  stream.state.onEncoded(choice, region, nowUs);
  post(stream, std::move(job));
}

void WindowStreamer::collect(uint64_t nowUs) {
  std::vector<EncodeResult> results;
  {
    std::lock_guard<std::mutex> lock(completions_->mutex);
    results.swap(completions_->results);
  }
  for (EncodeResult& r : results) {
    if (!r.ok) {
      ++stats_.encodeErrors;
      lastError_ = r.error;
      auto found = inFlight_.find(r.packetId);
      if (found != inFlight_.end()) {
        const InFlight failed = found->second;
        forget(r.packetId);
        batcher_.onLost(failed.wid, failed.sequence);
        if (!failed.video)
          damage(failed.wid, failed.rect, nowUs);  // try again with fresh pixels
      }
      continue;
    }
    ++stats_.draws;
    stats_.drawBytes += r.bytes;
    ++stats_.perEncoding[r.coding];
    if (!r.shared) {
      stats_.encodeUsPerEncoding[r.coding] += r.encodeUs;
      // The policy learns what encodes really take for this window's content.
      if (auto it = streams_.find(r.wid); it != streams_.end() && r.encodeUs > 0)
        it->second.state.onEncodeTime(r.encoding, r.pixels, r.encodeUs, nowUs);
    } else if (auto it = streams_.find(r.wid); it != streams_.end()) {
      it->second.state.onEncodeShared(r.encoding);
    }
    if (r.keyframe)
      ++stats_.keyframes;
    if (r.refresh)
      ++stats_.refreshes;
    if (r.shared)
      ++stats_.sharedEncodes;
  }
}

void WindowStreamer::tick(uint64_t nowUs) {
  collect(nowUs);
  const encoding::NetworkState net = network();
  for (const encoding::Batch& batch : batcher_.due(nowUs)) {
    auto it = streams_.find(batch.wid);
    if (it == streams_.end())
      continue;
    Stream& stream = it->second;
    stream.regions.onFrame(batch.rects, nowUs);
    std::vector<encoding::Rect> rects = batch.rects;
    const encoding::RegionEvent event = stream.regions.update(nowUs);
    if (event == encoding::RegionEvent::kStarted || event == encoding::RegionEvent::kMoved)
      ++stats_.videoRegions;
    if (event == encoding::RegionEvent::kMoved) {
      // What the old region showed (lossy video) is sent again as pictures around the new one.
      for (const encoding::Rect& piece :
           encoding::subtract(stream.regions.previousRegion(), *stream.regions.region()))
        rects.push_back(piece);
    }
    if (const auto& region = stream.regions.region();
        region && stream.content.stale(*region, nowUs)) {
      // What the moving area looks like decides whether video is worth it there (few colours:
      // text or drawings, pictures win). Sampled once a second, not every frame.
      rdk_image image{};
      if (desktop_.platform().capture(batch.wid,
                                      rdk_rect{region->x, region->y, region->w, region->h}, &image,
                                      &lastError_)) {
        stream.content.area = *region;
        stream.content.colours = encoding::sampleColours(image.pixels, image.stride, image.width,
                                                         image.height, stream.content.minColours);
        stream.content.sampledUs = nowUs;
      }
    }
    const encoding::BatchPlan plan =
        encoding::planBatch(selector_, stream.state, stream.regions, stream.scrolls, rects, net,
                            nowUs, &stream.content);
    stream.info.videoRegion = stream.regions.region();
    stream.info.regionWhy = plan.why;
    for (const encoding::PlannedDraw& draw : plan.draws) {
      stream.info.choice = draw.choice.encoding;
      stream.info.why = draw.choice.reason;
      if (!draw.choice.video && scrollingFor(stream) &&
          tryScroll(batch.wid, stream, draw.rect, draw.choice, net, nowUs)) {
        continue;
      }
      schedule(batch.wid, stream, draw.rect, draw.choice, nowUs);
    }
  }
  for (auto& [wid, stream] : streams_) {
    if (!stream.state.refreshDue(nowUs) || batcher_.backPressured(wid, nowUs))
      continue;
    const encoding::Rect area = stream.state.refreshRegion();
    const encoding::Choice choice = selector_.chooseRefresh(stream.state, area, net, nowUs);
    if (choice.encoding.empty())
      continue;
    stream.info.choice = choice.encoding;
    stream.info.why = choice.reason;
    // A refresh as video (lossy link) is a whole-window frame, like the loss rule's video.
    schedule(
        wid, stream,
        choice.video ? encoding::Rect{0, 0, stream.state.width(), stream.state.height()} : area,
        choice, nowUs);
  }
}

std::vector<std::string> WindowStreamer::encodersInUse() const {
  return encodingsUsed_;
}

std::map<uint64_t, WindowPolicyInfo> WindowStreamer::policyInfo() const {
  std::map<uint64_t, WindowPolicyInfo> out;
  for (const auto& [wid, stream] : streams_) {
    WindowPolicyInfo info = stream.info;
    info.videoRegion = stream.regions.region();
    info.scrolling = scrollingFor(stream);
    out.emplace(wid, std::move(info));
  }
  return out;
}

}  // namespace rdk::session
