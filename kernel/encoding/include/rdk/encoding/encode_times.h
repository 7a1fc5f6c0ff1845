// What encodes really cost on this machine, per encoding, learned from the encodes a window's
// lane has run: the features' fixed "cost" figures are a prior that can be far off for a given
// content (measured on a 2-core VM: lossless webp 30-95 ms per megapixel where png took 9-10 on
// the same terminal and clock pictures, features say 25 vs 12), and an encode holds the window's
// lane, so every later draw of the window waits for it. No clock inside: time is passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace rdk::encoding {

class EncodeTimes {
 public:
  /// Samples smaller than this are not learned from: per-call overhead dominates them, and small
  /// regions are chosen by the cheapest-lossless rule anyway.
  static constexpr uint64_t kMinPixels = 4096;
  /// An estimate needs this many samples ...
  static constexpr uint32_t kMinSamples = 2;
  /// ... and is forgotten this long after its last sample (content changes; the prior comes back
  /// and the encoding may be tried again).
  static constexpr uint64_t kForgetUs = 30'000'000;
  /// At most this many encodings are tracked (they come from the encoder plugins: a handful).
  static constexpr size_t kMaxEncodings = 32;
  /// An encode started without a sample back stops counting as awaited after this long (a job
  /// that failed or was shared with another session never reports a time).
  static constexpr uint64_t kAwaitUs = 2'000'000;

  /// |encoding| took |encodeUs| for |pixels| pixels at |nowUs|.
  void record(const std::string& encoding, uint64_t pixels, uint64_t encodeUs, uint64_t nowUs);
  /// The client decoded a draw of |encoding| of |pixels| pixels in |decodeUs| (its ack's
  /// decode_time): the client paints a window's draws in order, so a slow decode delays the ones
  /// behind it as a slow encode does.
  void recordDecode(const std::string& encoding, uint64_t pixels, uint64_t decodeUs,
                    uint64_t nowUs);
  /// An encode of |encoding| for |pixels| pixels was scheduled at |nowUs| (its time comes later).
  void started(const std::string& encoding, uint64_t pixels, uint64_t nowUs);
  /// A started encode ended without a time of its own (another session's encode was reused).
  void endedWithoutTime(const std::string& encoding);
  /// The recent mean time per megapixel of |encoding| in µs, encode plus (when the client reports
  /// it) decode; none when its encode time is not known (yet or any more).
  std::optional<double> usPerMegapixel(const std::string& encoding, uint64_t nowUs) const;
  /// The single sample of an encoding not known yet (one sample is no estimate, but a slow one
  /// is a warning: the caller may let it raise its guess, never lower it).
  std::optional<double> firstSample(const std::string& encoding, uint64_t nowUs) const;
  /// An encode of |encoding|, not known yet, was started and its time has not come back: a
  /// trial is under way (a window's lane runs its encodes in order, so a second blind trial
  /// queued behind the first only adds to the wait).
  bool awaited(const std::string& encoding, uint64_t nowUs) const;

 private:
  struct Mean {
    double usPerMpx = 0;  // exponentially weighted, weight 1/4 for the newest sample
    uint32_t samples = 0;
    uint64_t lastUs = 0;
    void add(double sample, uint64_t nowUs);
    bool known(uint64_t nowUs) const;
  };
  struct Entry {
    Mean encode;
    Mean decode;
    uint64_t startedUs = 0;  // an encode was started then with no sample since, 0: none
  };
  Entry* entry(const std::string& encoding, uint64_t pixels);
  std::map<std::string, Entry> entries_;
};

}  // namespace rdk::encoding
