// PNG encode/decode with libpng.
//  - "png": lossless; when the area has <= 256 colours (or is grey) the smaller exact png/P (png/L)
//    is sent instead, if the encoder was allowed to ("exact_downgrade", on by default: every Xpra
//    client that decodes png decodes png/P and png/L with the same decoder);
//  - "png/P": palette; > 256 colours are reduced to a 3-3-2 palette (lossy), as Xpra does;
//  - "png/L": 8-bit grey (lossy for colour content).
// zlib level and filters follow speed: fast speeds use level 1 and the cheap SUB filter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rdk/plugin.hpp"

namespace rdk::png {

class PngEncoder : public Encoder {
 public:
  PngEncoder(std::string coding, bool exactDowngrade);
  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override;

 private:
  std::string coding_;
  bool exactDowngrade_;
};

class PngDecoder : public Decoder {
 public:
  void decode(rdk_bytes data, std::string_view optionsJson, rdk_image_out& out) override;
};

}  // namespace rdk::png
