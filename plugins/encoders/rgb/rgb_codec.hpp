// rgb24/rgb32 draw data: BGRX (rgb24) or BGRA (rgb32) rows, compressed as one lz4 block with
// python-lz4's 4-byte little-endian size prefix ({"lz4":1}) or as a zlib stream ({"zlib":level}),
// exactly what Xpra 3.1.3's client decompresses in process_delta().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/plugin.hpp"

namespace rdk::rgb {

enum class Compressor { kNone, kLz4, kZlib };

Compressor compressorFromName(const std::string& name);

class RgbEncoder : public Encoder {
 public:
  RgbEncoder(std::string coding, Compressor compressor);
  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override;

 private:
  std::string coding_;
  Compressor compressor_;
};

class RgbDecoder : public Decoder {
 public:
  void decode(rdk_bytes data, std::string_view optionsJson, rdk_image_out& out) override;
};

/// Compression helpers, exposed for tests.
std::vector<uint8_t> lz4Compress(const uint8_t* data, size_t size, int acceleration);
std::vector<uint8_t> lz4Decompress(rdk_bytes data, size_t expected);
std::vector<uint8_t> zlibCompress(const uint8_t* data, size_t size, int level);
std::vector<uint8_t> zlibDecompress(rdk_bytes data, size_t expected);

}  // namespace rdk::rgb
