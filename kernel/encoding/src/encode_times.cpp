#include "rdk/encoding/encode_times.h"

#include <algorithm>

namespace rdk::encoding {

void EncodeTimes::Mean::add(double sample, uint64_t nowUs) {
  // After a pause the old mean describes other content: start again from this sample.
  const bool fresh = samples == 0 || nowUs > lastUs + kForgetUs;
  usPerMpx = fresh ? sample : 0.75 * usPerMpx + 0.25 * sample;
  samples = fresh ? 1 : samples + 1;
  lastUs = nowUs;
}

bool EncodeTimes::Mean::known(uint64_t nowUs) const {
  return samples >= kMinSamples && nowUs <= lastUs + kForgetUs;
}

EncodeTimes::Entry* EncodeTimes::entry(const std::string& encoding, uint64_t pixels) {
  if (pixels < kMinPixels || encoding.empty())
    return nullptr;
  auto it = entries_.find(encoding);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxEncodings)
      return nullptr;
    it = entries_.emplace(encoding, Entry{}).first;
  }
  return &it->second;
}

void EncodeTimes::record(const std::string& encoding, uint64_t pixels, uint64_t encodeUs,
                         uint64_t nowUs) {
  if (Entry* e = entry(encoding, pixels)) {
    e->encode.add(static_cast<double>(encodeUs) * 1e6 / static_cast<double>(pixels), nowUs);
    e->startedUs = 0;
  }
}

void EncodeTimes::started(const std::string& encoding, uint64_t pixels, uint64_t nowUs) {
  // The oldest encode still awaited counts; one whose time never came back is replaced.
  if (Entry* e = entry(encoding, pixels);
      e && (e->startedUs == 0 || nowUs >= e->startedUs + kAwaitUs))
    e->startedUs = std::max<uint64_t>(nowUs, 1);
}

void EncodeTimes::endedWithoutTime(const std::string& encoding) {
  if (auto it = entries_.find(encoding); it != entries_.end())
    it->second.startedUs = 0;
}

bool EncodeTimes::awaited(const std::string& encoding, uint64_t nowUs) const {
  const auto it = entries_.find(encoding);
  if (it == entries_.end() || it->second.startedUs == 0 || it->second.encode.known(nowUs))
    return false;
  return nowUs < it->second.startedUs + kAwaitUs;
}

std::optional<double> EncodeTimes::firstSample(const std::string& encoding, uint64_t nowUs) const {
  const auto it = entries_.find(encoding);
  if (it == entries_.end())
    return std::nullopt;
  const Mean& enc = it->second.encode;
  if (enc.samples != 1 || nowUs > enc.lastUs + kForgetUs)
    return std::nullopt;
  const Mean& dec = it->second.decode;
  const bool decoded = dec.samples > 0 && nowUs <= dec.lastUs + kForgetUs;
  return enc.usPerMpx + (decoded ? dec.usPerMpx : 0.0);
}

void EncodeTimes::recordDecode(const std::string& encoding, uint64_t pixels, uint64_t decodeUs,
                               uint64_t nowUs) {
  if (Entry* e = entry(encoding, pixels))
    e->decode.add(static_cast<double>(decodeUs) * 1e6 / static_cast<double>(pixels), nowUs);
}

std::optional<double> EncodeTimes::usPerMegapixel(const std::string& encoding,
                                                  uint64_t nowUs) const {
  const auto it = entries_.find(encoding);
  if (it == entries_.end() || !it->second.encode.known(nowUs))
    return std::nullopt;
  const Entry& e = it->second;
  return e.encode.usPerMpx + (e.decode.known(nowUs) ? e.decode.usPerMpx : 0.0);
}

}  // namespace rdk::encoding
