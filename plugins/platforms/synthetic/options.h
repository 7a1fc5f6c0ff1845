// The synthetic platform's options (the JSON object given to open()).
#pragma once

#include <cstdint>
#include <string>

namespace rdk::synthetic {

struct Options {
  int32_t width = 1280;
  int32_t height = 720;
  int32_t fps = 30;      // frames of the video area and the scroller per simulated second
  uint64_t seed = 1;     // varies text, colours and noise
  bool sound = true;     // emit the 440 Hz test tone as SOUND events
  bool pointer = true;   // move the pointer along its path (POINTER and CURSOR events)
  std::string inputLog;  // when set, every injected input is appended to this file as a JSON line

  static constexpr int32_t kMinWidth = 320, kMinHeight = 240;
  static constexpr int32_t kMaxWidth = 8192, kMaxHeight = 8192;

  /// Parses |json| (empty = defaults); throws rdk::Error(RDK_E_INVALID_ARG) naming the bad key.
  static Options parse(const std::string& json);
};

}  // namespace rdk::synthetic
