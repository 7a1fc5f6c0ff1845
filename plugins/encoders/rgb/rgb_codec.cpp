#include "rgb_codec.hpp"

#include <lz4.h>
#include <zlib.h>

#include <cstring>

#include "codec_util.hpp"

namespace rdk::rgb {

Compressor compressorFromName(const std::string& name) {
  if (name == "lz4")
    return Compressor::kLz4;
  if (name == "zlib")
    return Compressor::kZlib;
  if (name == "none")
    return Compressor::kNone;
  throw Error(RDK_E_INVALID_ARG, "unknown rgb compressor '" + name + "' (lz4, zlib, none)");
}

std::vector<uint8_t> lz4Compress(const uint8_t* data, size_t size, int acceleration) {
  if (size > static_cast<size_t>(LZ4_MAX_INPUT_SIZE))
    throw Error(RDK_E_INVALID_ARG, "too big for lz4");
  const int bound = LZ4_compressBound(static_cast<int>(size));
  std::vector<uint8_t> out(4 + static_cast<size_t>(bound));
  const auto n = static_cast<uint32_t>(size);
  out[0] = n & 0xff, out[1] = (n >> 8) & 0xff, out[2] = (n >> 16) & 0xff, out[3] = n >> 24;
  const int written = LZ4_compress_fast(reinterpret_cast<const char*>(data),
                                        reinterpret_cast<char*>(out.data() + 4),
                                        static_cast<int>(size), bound, acceleration);
  if (written <= 0)
    throw Error(RDK_E_INTERNAL, "lz4 compression failed");
  out.resize(4 + static_cast<size_t>(written));
  return out;
}

std::vector<uint8_t> lz4Decompress(rdk_bytes data, size_t expected) {
  if (data.size < 4)
    throw Error(RDK_E_CORRUPT, "lz4 data shorter than its size header");
  const uint32_t n = data.data[0] | (data.data[1] << 8) | (data.data[2] << 16) |
                     (static_cast<uint32_t>(data.data[3]) << 24);
  if (n != expected)
    throw Error(RDK_E_CORRUPT, "lz4 header says " + std::to_string(n) + " bytes, expected " +
                                   std::to_string(expected));
  std::vector<uint8_t> out(expected);
  const int got = LZ4_decompress_safe(reinterpret_cast<const char*>(data.data + 4),
                                      reinterpret_cast<char*>(out.data()),
                                      static_cast<int>(data.size - 4), static_cast<int>(expected));
  if (got < 0 || static_cast<size_t>(got) != expected)
    throw Error(RDK_E_CORRUPT, "corrupt or truncated lz4 pixel data");
  return out;
}

std::vector<uint8_t> zlibCompress(const uint8_t* data, size_t size, int level) {
  uLongf bound = compressBound(static_cast<uLong>(size));
  std::vector<uint8_t> out(bound);
  if (compress2(out.data(), &bound, data, static_cast<uLong>(size), level) != Z_OK)
    throw Error(RDK_E_INTERNAL, "zlib compression failed");
  out.resize(bound);
  return out;
}

std::vector<uint8_t> zlibDecompress(rdk_bytes data, size_t expected) {
  std::vector<uint8_t> out(expected);
  uLongf got = static_cast<uLongf>(expected);
  uLong consumed = static_cast<uLong>(data.size);
  const int rc = uncompress2(out.data(), &got, data.data, &consumed);
  if (rc != Z_OK || got != expected)
    throw Error(RDK_E_CORRUPT, "corrupt or truncated zlib pixel data");
  return out;
}

RgbEncoder::RgbEncoder(std::string coding, Compressor compressor)
    : coding_(std::move(coding)), compressor_(compressor) {}

Encoded RgbEncoder::encode(const rdk_image& image, const rdk_encode_params& params) {
  codec::checkInput(image);
  const bool alpha = coding_ == "rgb32";
  const uint32_t rowstride = image.width * 4;
  std::vector<uint8_t> raw(static_cast<size_t>(rowstride) * image.height);
  for (uint32_t y = 0; y < image.height; ++y)
    std::memcpy(raw.data() + static_cast<size_t>(y) * rowstride,
                image.pixels + static_cast<size_t>(y) * image.stride, rowstride);
  if (alpha && image.format == RDK_PIXEL_BGRX) {
    // X bytes are undefined: make the picture opaque rather than send garbage alpha.
    for (size_t i = 3; i < raw.size(); i += 4)
      raw[i] = 0xff;
  }
  Encoded out;
  out.coding = coding_;
  out.rowstride = rowstride;
  out.flags = RDK_ENCODED_LOSSLESS;
  const int speed = codec::scale(params.speed, 50);
  std::string options = std::string("{\"rgb_format\":\"") + (alpha ? "BGRA" : "BGRX") + "\"";
  switch (compressor_) {
    case Compressor::kLz4:
      // Faster at high speed: acceleration 1 (speed <= 50) .. 8 (speed 100).
      out.data = lz4Compress(raw.data(), raw.size(), speed <= 50 ? 1 : (speed - 50) / 7 + 1);
      options += ",\"lz4\":1";
      break;
    case Compressor::kZlib: {
      const int level = std::clamp(9 - speed * 9 / 100, 1, 9);
      out.data = zlibCompress(raw.data(), raw.size(), level);
      options += ",\"zlib\":" + std::to_string(level);
      break;
    }
    case Compressor::kNone:
      out.data = std::move(raw);
      break;
  }
  out.optionsJson = options + "}";
  return out;
}

namespace {
struct Layout {
  int bpp;
  int r, g, b;  // byte offsets of the channels
};
Layout layoutOf(const std::string& fmt) {
  if (fmt == "BGRX" || fmt == "BGRA")
    return {4, 2, 1, 0};
  if (fmt == "RGBX" || fmt == "RGBA")
    return {4, 0, 1, 2};
  if (fmt == "XRGB" || fmt == "ARGB")
    return {4, 1, 2, 3};
  if (fmt == "XBGR" || fmt == "ABGR")
    return {4, 3, 2, 1};
  if (fmt == "RGB")
    return {3, 0, 1, 2};
  if (fmt == "BGR")
    return {3, 2, 1, 0};
  throw Error(RDK_E_UNSUPPORTED, "unsupported rgb_format " + fmt);
}
}  // namespace

void RgbDecoder::decode(rdk_bytes data, std::string_view optionsJson, rdk_image_out& out) {
  codec::checkOutput(out);
  const codec::Options options(optionsJson);
  const Layout layout = layoutOf(options.string("rgb_format").value_or("BGRX"));
  // The draw packet's rowstride travels beside the options; the kernel merges it as "rowstride".
  const int64_t rowstride = options.integer("rowstride").value_or(0) > 0
                                ? *options.integer("rowstride")
                                : static_cast<int64_t>(out.width) * layout.bpp;
  if (rowstride < static_cast<int64_t>(out.width) * layout.bpp || rowstride > (1 << 20))
    throw Error(RDK_E_CORRUPT,
                "rowstride " + std::to_string(rowstride) + " does not fit the width");
  const size_t expected = static_cast<size_t>(rowstride) * out.height;
  std::vector<uint8_t> owned;
  const uint8_t* pixels = data.data;
  if (options.integer("lz4").value_or(0) > 0) {
    owned = lz4Decompress(data, expected);
    pixels = owned.data();
  } else if (options.integer("zlib").value_or(0) > 0) {
    owned = zlibDecompress(data, expected);
    pixels = owned.data();
  } else if (data.size != expected) {
    throw Error(RDK_E_CORRUPT, "raw pixel data is " + std::to_string(data.size) +
                                   " bytes, expected " + std::to_string(expected));
  }
  for (uint32_t y = 0; y < out.height; ++y) {
    const uint8_t* src = pixels + static_cast<size_t>(y) * rowstride;
    uint8_t* dst = out.pixels + static_cast<size_t>(y) * out.stride;
    if (layout.bpp == 4 && layout.b == 0) {
      std::memcpy(dst, src, static_cast<size_t>(out.width) * 4);
      continue;
    }
    for (uint32_t x = 0; x < out.width; ++x, src += layout.bpp, dst += 4) {
      dst[0] = src[layout.b];
      dst[1] = src[layout.g];
      dst[2] = src[layout.r];
      dst[3] = 0xff;
    }
  }
}

}  // namespace rdk::rgb
