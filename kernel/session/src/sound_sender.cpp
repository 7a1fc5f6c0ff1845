#include "rdk/session/sound_sender.h"

#include <algorithm>
#include <cstdlib>

namespace rdk::session {

using protocol::SoundData;
using protocol::Value;

namespace {

constexpr const char* kOpus = "opus";
constexpr const char* kOpusOgg = "opus+ogg";

Value::Dict dict(std::initializer_list<std::pair<const char*, Value>> items) {
  Value::Dict d;
  for (const auto& [k, v] : items)
    d.emplace_back(Value(k), v);
  return d;
}

std::string argText(const Value::List& args, size_t i) {
  if (i >= args.size())
    return {};
  const Value& v = args[i];
  if (v.isBytes())
    return v.asBytes();
  if (v.isInt())
    return std::to_string(v.asInt());
  return {};
}

}  // namespace

const std::vector<std::string>& SoundSender::encoders() {
  static const std::vector<std::string> list{kOpus, kOpusOgg};
  return list;
}

SoundSender::SoundSender(SoundPeer peer, std::string opusHead, int preSkip, int frameMs)
    : peer_(std::move(peer)),
      opusHead_(std::move(opusHead)),
      preSkip_(preSkip),
      frameMs_(frameMs) {}

SoundData SoundSender::endOfStream(const std::string& codec) const {
  return SoundData{codec, "",
                   dict({{"end-of-stream", Value(true)}, {"sequence", Value(sequence_)}}),
                   std::nullopt};
}

std::vector<SoundSender::Out> SoundSender::control(const protocol::SoundControl& control,
                                                   std::string* reply) {
  const std::string& command = control.command;
  if (command == "start" || command == "fadein")
    return start(argText(control.args, 0), reply);
  if (command == "stop" || command == "fadeout") {
    const std::string seq = command == "stop" ? argText(control.args, 0) : std::string();
    if (!seq.empty() && seq != std::to_string(sequence_)) {
      *reply = "not stopped: sequence " + seq + " is not the current " + std::to_string(sequence_);
      return {};
    }
    return stop(reply);
  }
  if (command == "new-sequence") {
    const std::string seq = argText(control.args, 0);
    char* end = nullptr;
    const long long n = std::strtoll(seq.c_str(), &end, 10);
    if (seq.empty() || *end != '\0') {
      *reply = "invalid sequence '" + seq + "'";
      return {};
    }
    sequence_ = n;
    *reply = "new sequence is " + std::to_string(sequence_);
    return {};
  }
  // "sync" (av-sync delay) and anything newer: nothing to do here.
  *reply = "ignored sound-control '" + command + "'";
  return {};
}

std::vector<SoundSender::Out> SoundSender::start(const std::string& asked, std::string* reply) {
  if (streaming_) {
    *reply = "already streaming " + codec_;
    return {};
  }
  std::string codec = asked;
  if (codec.empty()) {
    // The client's preference among what we encode (as Xpra picks).
    for (const std::string& d : peer_.decoders)
      if (std::find(encoders().begin(), encoders().end(), d) != encoders().end()) {
        codec = d;
        break;
      }
  }
  const bool ours = std::find(encoders().begin(), encoders().end(), codec) != encoders().end();
  const bool theirs =
      std::find(peer_.decoders.begin(), peer_.decoders.end(), codec) != peer_.decoders.end();
  if (!peer_.receive || !ours || !theirs) {
    // Xpra's answer to a start it cannot honour: end-of-stream, so the client stops waiting.
    *reply = !peer_.receive ? "the client did not announce sound.receive"
                            : "codec '" + codec + "' is not one we both have";
    return {Out{endOfStream(codec), false}};
  }
  streaming_ = true;
  codec_ = codec;
  sent_ = 0;
  if (codec_ == kOpusOgg)
    ogg_.emplace(opusHead_, serial_++);
  else
    ogg_.reset();
  *reply = "sound started using codec " + codec_;
  return {Out{SoundData{codec_, "",
                        dict({{"start-of-stream", Value(true)},
                              {"codec", Value(codec_)},
                              {"sequence", Value(sequence_)}}),
                        std::nullopt},
              false}};
}

std::vector<SoundSender::Out> SoundSender::stop(std::string* reply) {
  if (!streaming_) {
    *reply = "not streaming";
    return {};
  }
  std::vector<Out> out{Out{endOfStream(codec_), false}};
  streaming_ = false;
  ++sequence_;  // as Xpra's stop_sending_sound: the next stream is a new sequence
  *reply = "stopped";
  return out;
}

std::vector<SoundSender::Out> SoundSender::frame(const audio::EncodedFrame& f) {
  if (!streaming_ || f.packet.empty())
    return {};
  if (sent_ == 0)
    firstIndex_ = f.index;
  const uint64_t n = f.index - firstIndex_;  // frames into this stream
  const int64_t durationNs = int64_t{frameMs_} * 1'000'000;
  Value::Dict metadata = dict({{"timestamp", Value(static_cast<int64_t>(n) * durationNs)},
                               {"duration", Value(durationNs)},
                               {"time", Value(static_cast<int64_t>(f.captureUs / 1000))},
                               {"sequence", Value(sequence_)},
                               {"rdk.frame", Value(static_cast<int64_t>(f.index))}});
  std::vector<Out> out;
  const bool droppable = sent_ >= kReliableFrames;
  if (ogg_) {
    const uint64_t granule =
        (n + 1) * static_cast<uint64_t>(48 * frameMs_) + static_cast<uint64_t>(preSkip_);
    std::string page = ogg_->page(f.packet, granule);
    std::optional<Value::List> packetMetadata;
    if (sent_ == 0) {
      std::string headers = ogg_->headers();
      if (peer_.bundleMetadata) {
        packetMetadata = Value::List{Value(std::move(headers))};
      } else {
        out.push_back(Out{SoundData{codec_, std::move(headers), {}, std::nullopt}, false});
      }
    }
    out.push_back(
        Out{SoundData{codec_, std::move(page), std::move(metadata), std::move(packetMetadata)},
            droppable});
  } else {
    out.push_back(Out{SoundData{codec_, f.packet, std::move(metadata), std::nullopt}, droppable});
  }
  ++sent_;
  ++totalFrames_;
  for (const Out& o : out)
    totalBytes_ += o.data.data.size();
  return out;
}

}  // namespace rdk::session
