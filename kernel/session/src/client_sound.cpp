#include "rdk/session/client_sound.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "rdk/audio/pulse.h"
#include "rdk/audio/wav_file.h"
#include "rdk/base/clock.h"

namespace rdk::session {

using protocol::Value;

namespace {

constexpr const char* kCodec = "opus";          // raw Opus packets, one 20 ms frame each
constexpr uint64_t kOnsetSilenceFrames = 10;    // 200 ms
constexpr double kOnsetLevel = 32767 * 0.0316;  // -30 dBFS peak

}  // namespace

ClientSound::ClientSound(ClientSoundOptions options)
    : options_(std::move(options)),
      jitter_(audio::JitterConfig{20, static_cast<uint32_t>(std::max(0, options_.delayMs))}) {
  if (options_.mode == "off" || (options_.mode == "wav" && options_.wavPath.empty()))
    return;
  if (options_.mode != "wav") {
    try {
      pulse_ = std::make_unique<audio::PulsePlayback>(options_.pulseServer, format_);
    } catch (const audio::AudioError& e) {
      if (options_.mode == "pulse")
        throw;
      if (options_.wavPath.empty())
        return;  // auto: no PulseAudio here, no sound (client.sound=pulse says why)
    }
  }
  if (!options_.wavPath.empty())
    wav_ = std::make_unique<audio::WavWriter>(options_.wavPath, format_.rate, format_.channels);
  decoder_ = std::make_unique<audio::OpusDecoder>(format_);
  enabled_ = true;
  thread_ = std::thread([this] { run(); });
}

ClientSound::~ClientSound() {
  stop();
}

void ClientSound::stop() {
  stop_.store(true);
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
  if (wav_)
    wav_->finish();
}

void ClientSound::addCaps(Value& caps) const {
  // Without a player, nothing: announcing sound made servers encode and send sound-data we
  // dropped (issue 20).
  caps.set("sound.receive", Value(enabled_));
  caps.set("sound.send", Value(false));
  if (!enabled_)
    return;
  caps.set("sound.decoders", Value(Value::List{Value(kCodec)}));
  caps.set("sound.encoders", Value(Value::List{}));
  caps.set("sound.codec-full-names", Value(true));
  caps.set("sound.bundle-metadata", Value(true));
}

std::optional<protocol::SoundControl> ClientSound::startRequest(
    const protocol::Capabilities& server) const {
  if (!enabled_ || !server.getBool("sound.send").value_or(false))
    return std::nullopt;
  const auto encoders = server.getStringList("sound.encoders");
  if (std::find(encoders.begin(), encoders.end(), kCodec) == encoders.end()) {
    std::fprintf(stderr, "rdkernel attach: no sound: the server encodes none of: %s\n", kCodec);
    return std::nullopt;
  }
  return protocol::SoundControl{"start", {Value(kCodec)}};
}

void ClientSound::registerWith(protocol::MessageDispatcher& dispatcher) {
  dispatcher.on<protocol::SoundData>([this](const protocol::SoundData& d) { onData(d); });
  dispatcher.ignore<protocol::SoundControl>();
}

void ClientSound::onData(const protocol::SoundData& d) {
  if (!enabled_)
    return;
  const Value meta(d.metadata);
  const auto intOf = [&](const char* key) -> std::optional<int64_t> {
    const Value* v = meta.find(key);
    return v && (v->isInt() || v->isBool()) ? std::optional<int64_t>(v->asInt()) : std::nullopt;
  };
  const bool flag = [&] {
    const Value* v = meta.find("start-of-stream");
    return v && v->asBool();
  }();
  const Value* eos = meta.find("end-of-stream");
  const int64_t sequence = intOf("sequence").value_or(0);
  const uint64_t nowMs = monotonicUs() / 1000;
  std::lock_guard<std::mutex> lock(mutex_);
  if (flag || (eos && eos->asBool())) {
    // A stream starts or ends: what is buffered belongs to the old one.
    jitter_.reset();
    resetDecoder_ = true;
    sequence_ = sequence;
    if (flag)
      stats_.codec = d.codec;
    return;
  }
  if (d.codec != kCodec || d.data.empty() || (sequence_ >= 0 && sequence < sequence_))
    return;
  // Our servers number the frames; Xpra's stamp them (pts in ns) with their duration.
  std::optional<int64_t> index = intOf("rdk.frame");
  if (!index) {
    const auto ts = intOf("timestamp"), duration = intOf("duration");
    if (ts && duration && *duration > 0)
      index = (*ts + *duration / 2) / *duration;
  }
  if (!index || *index < 0)
    return;
  ++stats_.packets;
  stats_.bytes += d.data.size();

  jitter_.push(static_cast<uint64_t>(*index), d.data, nowMs);
  wake_.notify_all();
}

void ClientSound::output(const std::vector<int16_t>& pcm, uint64_t nowUs) {
  // Onsets for the latency benchmark: loud after a stretch of silence.
  int peak = 0;
  for (size_t i = 0; i < pcm.size(); i += static_cast<size_t>(format_.channels))
    peak = std::max(peak, std::abs(static_cast<int>(pcm[i])));
  if (peak < kOnsetLevel) {
    ++silentFrames_;
  } else {
    if (silentFrames_ >= kOnsetSilenceFrames) {
      std::lock_guard<std::mutex> lock(mutex_);
      stats_.onsetsUs.push_back(nowUs);
    }
    silentFrames_ = 0;
  }
  if (wav_)
    wav_->write(pcm);
  if (pulse_) {
    try {
      pulse_->write(pcm);
    } catch (const audio::AudioError& e) {
      std::fprintf(stderr, "rdkernel attach: sound stopped: %s\n", e.what());
      pulse_.reset();
    }
  }
}

void ClientSound::run() {
  silentFrames_ = kOnsetSilenceFrames;  // the first sound is an onset
  while (!stop_.load()) {
    std::vector<audio::JitterBuffer::Frame> due;
    bool reset = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Frames are due every 20 ms; waking every 5 ms keeps playout within 5 ms of its time.
      wake_.wait_for(lock, std::chrono::milliseconds(5));
      const uint64_t nowMs = monotonicUs() / 1000;
      while (auto f = jitter_.pop(nowMs))
        due.push_back(std::move(*f));
      reset = resetDecoder_;
      resetDecoder_ = false;
    }
    if (reset)
      decoder_ = std::make_unique<audio::OpusDecoder>(format_);
    for (const auto& f : due) {
      std::vector<int16_t> pcm;
      try {
        switch (f.action) {
          case audio::JitterBuffer::Action::Play:
            pcm = decoder_->decode(f.packet);
            break;
          case audio::JitterBuffer::Action::Recover:
            pcm = decoder_->recover(f.packet);
            break;
          case audio::JitterBuffer::Action::Conceal:
            pcm = decoder_->conceal();
            break;
        }
      } catch (const audio::AudioError&) {
        std::lock_guard<std::mutex> lock(mutex_);
        ++stats_.decodeErrors;
        pcm = decoder_->conceal();
      }
      output(pcm, monotonicUs());
    }
  }
}

ClientSoundStats ClientSound::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  ClientSoundStats s = stats_;
  s.jitter = jitter_.stats();
  return s;
}

}  // namespace rdk::session
