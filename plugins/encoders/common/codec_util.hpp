// Helpers shared by the encoder plugins (header-only, compiled into each plugin): input and output
// image checks, draw-packet options (flat JSON objects) and Xpra's 0-100 scales.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::codec {

/// Largest picture any of our codecs accepts (Xpra's own limit is 16384 per side for vpx).
constexpr uint32_t kMaxSide = 16384;

/// Throws unless |img| is BGRX or BGRA pixels we can read.
inline void checkInput(const rdk_image& img) {
  if (img.format != RDK_PIXEL_BGRX && img.format != RDK_PIXEL_BGRA)
    throw Error(RDK_E_UNSUPPORTED, "input must be BGRX or BGRA");
  if (img.width == 0 || img.height == 0 || img.width > kMaxSide || img.height > kMaxSide)
    throw Error(RDK_E_INVALID_ARG, "image size " + std::to_string(img.width) + "x" +
                                       std::to_string(img.height) + " out of range");
  if (!img.pixels || img.stride < img.width * 4u)
    throw Error(RDK_E_INVALID_ARG, "bad image stride or pixels");
}

/// Throws unless |out| is a BGRX/BGRA buffer we can write.
inline void checkOutput(const rdk_image_out& out) {
  if (out.format != RDK_PIXEL_BGRX && out.format != RDK_PIXEL_BGRA)
    throw Error(RDK_E_UNSUPPORTED, "decoders write BGRX");
  if (out.width == 0 || out.height == 0 || out.width > kMaxSide || out.height > kMaxSide)
    throw Error(RDK_E_INVALID_ARG, "output size out of range");
  if (!out.pixels || out.stride < out.width * 4u)
    throw Error(RDK_E_INVALID_ARG, "bad output buffer");
}

inline void checkSize(uint32_t gotW, uint32_t gotH, const rdk_image_out& out) {
  if (gotW != out.width || gotH != out.height)
    throw Error(RDK_E_CORRUPT, "picture is " + std::to_string(gotW) + "x" + std::to_string(gotH) +
                                   ", draw rectangle is " + std::to_string(out.width) + "x" +
                                   std::to_string(out.height));
}

/// A flat JSON object of options (draw packet options or encoder-create options).
class Options {
 public:
  Options() = default;
  explicit Options(std::string_view json) {
    if (json.empty())
      return;
    try {
      object_ = json::Value::parse(json);
    } catch (const json::ParseError& e) {
      throw Error(RDK_E_INVALID_ARG, std::string("bad options JSON: ") + e.what());
    }
    if (!object_.isObject())
      throw Error(RDK_E_INVALID_ARG, "bad options JSON: not an object");
  }
  bool has(const std::string& key) const { return object_.has(key); }
  /// A number (a float loses its fraction), true/false as 1/0, or a string holding an integer.
  std::optional<int64_t> integer(const std::string& key) const {
    const json::Value* v = object_.find(key);
    if (!v)
      return std::nullopt;
    if (v->isBool())
      return v->asBool() ? 1 : 0;
    if (v->isInt())
      return v->asInt();
    if (v->isFloat() && v->asDouble() > -9.2e18 && v->asDouble() < 9.2e18)
      return static_cast<int64_t>(v->asDouble());
    if (v->isString()) {
      const std::string& text = v->asString();
      int64_t n = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
      if (r.ec == std::errc() && r.ptr == text.data() + text.size())
        return n;
    }
    throw Error(RDK_E_INVALID_ARG, "option " + key + " is not a number");
  }
  /// A string, or the JSON text of any other value (5, true).
  std::optional<std::string> string(const std::string& key) const {
    const json::Value* v = object_.find(key);
    if (!v)
      return std::nullopt;
    if (v->isArray() || v->isObject())
      throw Error(RDK_E_INVALID_ARG, "option " + key + " is not a string");
    return v->asText();
  }

 private:
  json::Value object_ = json::Value::object();
};

/// Xpra's 0..100 scale with -1 meaning "default".
inline int scale(int32_t value, int fallback) {
  return value < 0 ? fallback : std::clamp<int>(value, 0, 100);
}

/// Maps an Xpra 0..100 value linearly onto [lo, hi].
inline int mapRange(int value, int lo, int hi) {
  return lo + (hi - lo) * std::clamp(value, 0, 100) / 100;
}

/// Reads a configuration value as an int, from the host config.
inline std::optional<int> configInt(const Host& host, const std::string& key) {
  auto v = host.config(key);
  if (!v)
    return std::nullopt;
  try {
    return std::stoi(*v);
  } catch (const std::exception&) {
    host.log(RDK_LOG_WARNING, "ignoring non-numeric " + key + "=" + *v);
    return std::nullopt;
  }
}

}  // namespace rdk::codec
