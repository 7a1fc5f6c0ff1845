// Helpers shared by the encoder plugins (header-only, compiled into each plugin): input and output
// image checks, draw-packet options (flat JSON objects) and Xpra's 0-100 scales.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

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
      Poco::JSON::Parser parser;
      object_ = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
      throw Error(RDK_E_INVALID_ARG, "bad options JSON: " + e.displayText());
    } catch (const std::exception& e) {
      throw Error(RDK_E_INVALID_ARG, std::string("bad options JSON: ") + e.what());
    }
  }
  bool has(const std::string& key) const { return object_ && object_->has(key); }
  std::optional<int64_t> integer(const std::string& key) const {
    if (!has(key))
      return std::nullopt;
    try {
      Poco::Dynamic::Var v = object_->get(key);
      if (v.isBoolean())
        return v.convert<bool>() ? 1 : 0;
      return v.convert<int64_t>();
    } catch (const Poco::Exception&) {
      throw Error(RDK_E_INVALID_ARG, "option " + key + " is not a number");
    }
  }
  std::optional<std::string> string(const std::string& key) const {
    if (!has(key))
      return std::nullopt;
    try {
      return object_->get(key).convert<std::string>();
    } catch (const Poco::Exception&) {
      throw Error(RDK_E_INVALID_ARG, "option " + key + " is not a string");
    }
  }

 private:
  Poco::JSON::Object::Ptr object_;
};

/// |s| as the inside of a JSON string: quotes and backslashes escaped, control characters dropped
/// (probe reasons quote driver messages, which may contain anything).
inline std::string jsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20)
      continue;
    out += c;
  }
  return out;
}

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
