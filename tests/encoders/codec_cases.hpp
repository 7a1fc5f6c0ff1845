// The table of codecs every encoder test walks through.
#pragma once

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "codec_harness.hpp"

namespace rdk::test {

enum class Content { kDesktop, kFewColours, kGrey };

// PSNR bounds are over B,G,R of the test picture, whose 1-pixel coloured strokes are the worst case
// for 4:2:0 chroma subsampling (jpeg below quality 90, lossy webp, vp8, vp9 all level off near 25
// dB there while their luma stays above 40 dB, see XpraInteropTest).
struct CodecCase {
  std::string plugin;
  std::string encoding;
  const char* createOptions;  // nullptr = defaults
  int quality;
  int speed;
  uint32_t flags;
  double minPsnr;  // INFINITY = exact
  Content content;
  std::string expectCoding;
};

inline const std::vector<CodecCase>& codecCases() {
  static const std::vector<CodecCase> cases = {
      {"rgb", "rgb24", nullptr, -1, -1, 0, INFINITY, Content::kDesktop, "rgb24"},
      {"rgb", "rgb24", "{\"compressor\":\"zlib\"}", -1, 80, 0, INFINITY, Content::kDesktop,
       "rgb24"},
      {"rgb", "rgb32", "{\"compressor\":\"none\"}", -1, -1, 0, INFINITY, Content::kDesktop,
       "rgb32"},
      {"png", "png", "{\"exact_downgrade\":false}", -1, 50, 0, INFINITY, Content::kDesktop, "png"},
      {"png", "png", nullptr, -1, 90, 0, INFINITY, Content::kFewColours, "png/P"},
      {"png", "png/P", nullptr, 60, 50, 0, INFINITY, Content::kFewColours, "png/P"},
      {"png", "png/P", nullptr, 60, 50, 0, 20.0, Content::kDesktop, "png/P"},
      {"png", "png/L", nullptr, 60, 50, 0, INFINITY, Content::kGrey, "png/L"},
      {"jpeg", "jpeg", nullptr, 90, 50, 0, 33.0, Content::kDesktop, "jpeg"},
      {"jpeg", "jpeg", nullptr, 50, 90, 0, 21.0, Content::kDesktop, "jpeg"},
      {"webp", "webp", nullptr, 100, 80, RDK_ENCODE_LOSSLESS, INFINITY, Content::kDesktop, "webp"},
      {"webp", "webp", nullptr, 80, 60, 0, 22.0, Content::kDesktop, "webp"},
      {"vpx", "vp8", nullptr, 80, 60, 0, 22.0, Content::kDesktop, "vp8"},
      {"vpx", "vp9", nullptr, 80, 60, 0, 22.0, Content::kDesktop, "vp9"},
  };
  return cases;
}

inline Picture makeContent(Content c, uint32_t w, uint32_t h, uint32_t seed) {
  switch (c) {
    case Content::kDesktop:
      return makeDesktopPicture(w, h, seed);
    case Content::kFewColours:
      return makeFewColours(w, h, 200);
    case Content::kGrey: {
      Picture p = makeDesktopPicture(w, h, seed);
      for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x)
          p.at(x, y)[0] = p.at(x, y)[2] = p.at(x, y)[1];
      return p;
    }
  }
  return Picture(w, h);
}

/// One loaded instance per plugin for the whole test run.
inline CodecPlugin& codecPlugin(const std::string& name) {
  static std::map<std::string, std::unique_ptr<CodecPlugin>> loaded;
  auto& slot = loaded[name];
  if (!slot)
    slot = std::make_unique<CodecPlugin>(name);
  return *slot;
}

inline std::string describe(const CodecCase& c) {
  return c.plugin + "/" + c.encoding + (c.createOptions ? std::string(" ") + c.createOptions : "") +
         " q=" + std::to_string(c.quality) + " s=" + std::to_string(c.speed);
}

}  // namespace rdk::test
