#include "rdk/audio/opus_source.h"

#include <chrono>

#include "rdk/audio/pulse.h"

namespace rdk::audio {

OpusSource::OpusSource(OpusSourceSettings settings) : settings_(std::move(settings)) {
  encoder_ = std::make_unique<OpusEncoder>(settings_.format, settings_.bitrate,
                                           settings_.expectedLossPercent);
  idHeader_ = encoder_->idHeader();
  preSkip_ = encoder_->preSkip();
  std::string server = settings_.server, source = settings_.source;
  if (!settings_.privateDir.empty()) {
    server_ = std::make_unique<PrivatePulseServer>(settings_.privateDir, settings_.format);
    server = server_->address();
    source = PrivatePulseServer::kMonitor;
  }
  capture_ = std::make_unique<PulseCapture>(
      server, source, settings_.format, [this](std::span<const int16_t> frame, uint64_t readUs) {
        EncodedFrame f;
        f.captureUs = readUs;
        try {
          f.packet = encoder_->encode(frame);
        } catch (const AudioError& e) {
          std::lock_guard<std::mutex> lock(mutex_);
          encodeError_ = e.what();
          return;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        f.index = next_++;
        queue_.push_back(std::move(f));
        while (queue_.size() > settings_.maxQueued) {
          queue_.pop_front();
          ++dropped_;
        }
        flowing_.notify_all();
      });
  // A fresh null sink renders its first block of 2 s before it honours our 20 ms (PulseAudio
  // 16's module-null-sink): wait for the first frame, so that an application started right after
  // us is heard from its first second.
  std::unique_lock<std::mutex> lock(mutex_);
  flowing_.wait_for(lock, std::chrono::milliseconds(settings_.startTimeoutMs),
                    [this] { return next_ > 0; });
}

OpusSource::~OpusSource() {
  capture_.reset();
}

std::string OpusSource::pulseServer() const {
  return server_ ? server_->address() : "";
}

std::vector<EncodedFrame> OpusSource::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<EncodedFrame> out(std::make_move_iterator(queue_.begin()),
                                std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

uint64_t OpusSource::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

std::string OpusSource::error() const {
  if (capture_) {
    std::string e = capture_->error();
    if (!e.empty())
      return e;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return encodeError_;
}

}  // namespace rdk::audio
