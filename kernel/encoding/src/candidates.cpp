#include "rdk/encoding/candidates.h"

#include <stdexcept>
#include <string>
#include <type_traits>

#include "rdk/json.hpp"

namespace rdk::encoding {

namespace {
template <class T>
T get(const json::Value& o, const std::string& key, T fallback) {
  const json::Value* v = o.find(key);
  if (!v || v->isNull())
    return fallback;
  if constexpr (std::is_same_v<T, std::string>) {
    return v->asString();
  } else if constexpr (std::is_same_v<T, bool>) {
    return v->asBool();
  } else {
    const int64_t n = v->asInt();
    if (n < 0 && std::is_unsigned_v<T>)
      throw json::TypeError("'" + key + "' must not be negative");
    return static_cast<T>(n);
  }
}
}  // namespace

std::vector<EncoderCandidate> candidatesFromFeatures(std::string_view featuresJson) {
  std::vector<EncoderCandidate> out;
  try {
    const json::Value parsed = json::Value::parse(featuresJson);
    for (const json::Value& f : parsed.asArray()) {
      if (!f.isObject() || get<std::string>(f, "kind", "") != "encoder")
        continue;
      EncoderCandidate c;
      c.name = get<std::string>(f, "name", "");
      if (c.name.empty())
        throw std::invalid_argument("encoder feature without a name");
      c.lossless = get<bool>(f, "lossless", false);
      c.lossy = get<bool>(f, "quality", !c.lossless);
      c.video = get<bool>(f, "video", false);
      c.keyframes = get<bool>(f, "keyframes", false);
      c.hardware = get<bool>(f, "hardware", false);
      c.rank = get<int>(f, "rank", 0);
      c.cost = get<int>(f, "cost", 0);
      c.minPixels = get<uint64_t>(f, "min_pixels", c.minPixels);
      c.maxPixels = get<uint64_t>(f, "max_pixels", c.maxPixels);
      c.maxWidth = get<uint32_t>(f, "max_width", c.maxWidth);
      c.maxHeight = get<uint32_t>(f, "max_height", c.maxHeight);
      out.push_back(std::move(c));
    }
  } catch (const json::ParseError& e) {
    throw std::invalid_argument(std::string("bad features JSON: ") + e.what());
  } catch (const json::TypeError& e) {
    throw std::invalid_argument(std::string("bad features JSON: ") + e.what());
  }
  return out;
}

}  // namespace rdk::encoding
