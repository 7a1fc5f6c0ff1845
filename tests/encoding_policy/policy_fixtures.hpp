// Candidates from the real plugins' features.json files, and window histories for the tables.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rdk/encoding/candidates.h"
#include "rdk/encoding/window_state.h"

namespace rdk::test {

inline std::vector<encoding::EncoderCandidate> softwareCandidates() {
  std::vector<encoding::EncoderCandidate> all;
  for (const char* plugin : {"rgb", "png", "jpeg", "webp", "vpx"}) {
    std::ifstream f(std::string(RDK_TEST_SOURCE_DIR) + "/plugins/encoders/" + plugin +
                    "/features.json");
    std::stringstream s;
    s << f.rdbuf();
    for (auto& c : encoding::candidatesFromFeatures(s.str()))
      all.push_back(std::move(c));
  }
  return all;
}

/// What a stock Xpra 3.1.3 GTK client puts in encodings.core (protocol notes §3.2).
inline std::vector<std::string> xpraClientEncodings() {
  return {"h264",  "vp9",  "vp8",   "mpeg4", "png",  "png/P",
          "png/L", "webp", "rgb24", "rgb32", "jpeg", "h265"};
}

constexpr uint64_t kMs = 1000;
constexpr uint64_t kStart = 10'000'000;  // the clock at window creation

enum class History { kNone, kTyping, kVideo, kVideoJustResized };

/// A 1280x720 window with |history| ending at the returned time.
inline uint64_t play(encoding::WindowEncodingState& w, History history) {
  uint64_t now = kStart + 1000 * kMs;  // well after the window appeared
  switch (history) {
    case History::kNone:
      break;
    case History::kTyping:
      for (int i = 0; i < 20; ++i, now += 50 * kMs)
        w.onDamage({100 + 8 * i, 40, 8, 16}, now);
      break;
    case History::kVideo:
    case History::kVideoJustResized:
      for (int i = 0; i < 30; ++i, now += 33 * kMs)
        w.onDamage({320, 180, 640, 360}, now);
      if (history == History::kVideoJustResized) {
        w.onResize(1280, 700, now);
        w.onDamage({320, 180, 640, 360}, now + kMs);
      }
      break;
  }
  return now;
}

}  // namespace rdk::test
