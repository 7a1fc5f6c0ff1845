// A 16-bit PCM WAV writer (the headless client's audio output) and reader (tests).
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

namespace rdk::audio {

class WavWriter {
 public:
  /// Throws AudioError when |path| cannot be created.
  WavWriter(const std::string& path, int rate, int channels);
  ~WavWriter();
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;
  void write(std::span<const int16_t> pcm);
  /// Rewrites the sizes in the header (also done by the destructor).
  void finish();

 private:
  std::FILE* file_ = nullptr;
  int rate_, channels_;
  uint64_t dataBytes_ = 0;
};

struct WavData {
  int rate = 0;
  int channels = 0;
  std::vector<int16_t> samples;
};

/// Reads a PCM S16LE WAV file; throws AudioError on anything else.
WavData readWav(const std::string& path);

}  // namespace rdk::audio
