#include <pulse/error.h>
#include <pulse/simple.h>

#include <mutex>
#include <vector>

#include "rdk/audio/pulse.h"
#include "rdk/base/clock.h"

namespace rdk::audio {

namespace {

pa_sample_spec specOf(const AudioFormat& format) {
  return pa_sample_spec{PA_SAMPLE_S16LE, static_cast<uint32_t>(format.rate),
                        static_cast<uint8_t>(format.channels)};
}

uint32_t bytesFor(const AudioFormat& format, int ms) {
  return static_cast<uint32_t>(format.rate / 1000 * ms * format.channels * 2);
}

const char* orDefault(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

}  // namespace

struct PulseCapture::Stream {
  pa_simple* s = nullptr;
  mutable std::mutex mutex;
  std::string error;
  ~Stream() {
    if (s)
      pa_simple_free(s);
  }
};

PulseCapture::PulseCapture(const std::string& server, const std::string& source,
                           const AudioFormat& format, FrameCallback onFrame)
    : stream_(std::make_unique<Stream>()), format_(format), onFrame_(std::move(onFrame)) {
  const pa_sample_spec spec = specOf(format_);
  pa_buffer_attr attr{};
  attr.maxlength = static_cast<uint32_t>(-1);
  // Without a fragment size the server hands out ~2 s at a time: one frame keeps latency low.
  attr.fragsize = bytesFor(format_, format_.frameMs);
  int err = 0;
  stream_->s = pa_simple_new(orDefault(server), "rdkernel", PA_STREAM_RECORD, orDefault(source),
                             "session audio", &spec, nullptr, &attr, &err);
  if (!stream_->s)
    throw AudioError("pulseaudio: cannot capture " +
                     (source.empty() ? "the default source" : source) + " of " +
                     (server.empty() ? "the default server" : server) + ": " + pa_strerror(err));
  thread_ = std::thread([this] {
    std::vector<int16_t> frame(format_.frameValues());
    while (!stop_.load()) {
      int err = 0;
      if (pa_simple_read(stream_->s, frame.data(), frame.size() * 2, &err) < 0) {
        std::lock_guard<std::mutex> lock(stream_->mutex);
        stream_->error = std::string("pulseaudio: capture: ") + pa_strerror(err);
        return;
      }
      onFrame_(frame, monotonicUs());
    }
  });
}

PulseCapture::~PulseCapture() {
  // A null sink's monitor delivers a frame every 20 ms, silence included: the read returns soon.
  stop_.store(true);
  if (thread_.joinable())
    thread_.join();
}

std::string PulseCapture::error() const {
  std::lock_guard<std::mutex> lock(stream_->mutex);
  return stream_->error;
}

struct PulsePlayback::Stream {
  pa_simple* s = nullptr;
  ~Stream() {
    if (s)
      pa_simple_free(s);
  }
};

PulsePlayback::PulsePlayback(const std::string& server, const AudioFormat& format, int latencyMs)
    : stream_(std::make_unique<Stream>()) {
  const pa_sample_spec spec = specOf(format);
  pa_buffer_attr attr{};
  attr.maxlength = static_cast<uint32_t>(-1);
  attr.tlength = bytesFor(format, latencyMs);
  attr.prebuf = static_cast<uint32_t>(-1);
  attr.minreq = static_cast<uint32_t>(-1);
  int err = 0;
  stream_->s = pa_simple_new(orDefault(server), "rdkernel", PA_STREAM_PLAYBACK, nullptr,
                             "remote session", &spec, nullptr, &attr, &err);
  if (!stream_->s)
    throw AudioError(std::string("pulseaudio: cannot play: ") + pa_strerror(err));
}

PulsePlayback::~PulsePlayback() = default;

uint64_t PulsePlayback::latencyUs() const {
  int err = 0;
  const pa_usec_t us = pa_simple_get_latency(stream_->s, &err);
  return us == static_cast<pa_usec_t>(-1) ? 0 : us;
}

void PulsePlayback::write(std::span<const int16_t> pcm) {
  int err = 0;
  if (pa_simple_write(stream_->s, pcm.data(), pcm.size() * 2, &err) < 0)
    throw AudioError(std::string("pulseaudio: play: ") + pa_strerror(err));
}

}  // namespace rdk::audio
