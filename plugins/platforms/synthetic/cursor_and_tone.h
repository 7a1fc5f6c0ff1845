// The synthetic desktop's two cursor shapes and its test tone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdk::synthetic {

struct CursorShape {
  std::string name;  // X cursor name, as Xpra's cursor packet carries
  int32_t width = 0, height = 0;
  int32_t hotX = 0, hotY = 0;
  std::vector<uint8_t> bgra;  // width * height * 4, premultiplied-free BGRA
};

/// The arrow shown over most of the desktop.
const CursorShape& arrowCursor();
/// The crosshair shown over the video area.
const CursorShape& crosshairCursor();

/// 440 Hz sine, 16-bit signed little-endian mono PCM at kToneRate, as complete WAV files of
/// kToneChunkMs each (header included, so a receiver that joins late can still play any chunk).
class TestTone {
 public:
  static constexpr uint32_t kToneRate = 44100;
  static constexpr uint32_t kToneChunkMs = 100;
  static constexpr uint32_t kFrequency = 440;

  TestTone();
  /// One chunk. 440 Hz fits a whole number of periods in 100 ms, so every chunk is the same
  /// and the phase stays continuous across chunks.
  const std::vector<uint8_t>& chunk() const { return wav_; }

 private:
  std::vector<uint8_t> wav_;
};

}  // namespace rdk::synthetic
