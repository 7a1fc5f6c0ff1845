#include "rdk/encoding/encode_times.h"

namespace rdk::encoding {

void EncodeTimes::record(const std::string& encoding, uint64_t pixels, uint64_t encodeUs,
                         uint64_t nowUs) {
  if (pixels < kMinPixels || encoding.empty())
    return;
  auto it = entries_.find(encoding);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxEncodings)
      return;
    it = entries_.emplace(encoding, Entry{}).first;
  }
  Entry& e = it->second;
  const double sample = static_cast<double>(encodeUs) * 1e6 / static_cast<double>(pixels);
  // After a pause the old mean describes other content: start again from this sample.
  const bool fresh = e.samples == 0 || nowUs > e.lastUs + kForgetUs;
  e.usPerMpx = fresh ? sample : 0.75 * e.usPerMpx + 0.25 * sample;
  e.samples = fresh ? 1 : e.samples + 1;
  e.lastUs = nowUs;
}

std::optional<double> EncodeTimes::usPerMegapixel(const std::string& encoding,
                                                  uint64_t nowUs) const {
  const auto it = entries_.find(encoding);
  if (it == entries_.end() || it->second.samples < kMinSamples ||
      nowUs > it->second.lastUs + kForgetUs)
    return std::nullopt;
  return it->second.usPerMpx;
}

}  // namespace rdk::encoding
