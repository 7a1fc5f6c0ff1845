#include "rdk/encoding/candidates.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>
#include <string>

namespace rdk::encoding {

namespace {
template <class T>
T get(const Poco::JSON::Object::Ptr& o, const std::string& key, T fallback) {
  if (!o->has(key) || o->isNull(key))
    return fallback;
  return o->getValue<T>(key);
}
}  // namespace

std::vector<EncoderCandidate> candidatesFromFeatures(std::string_view featuresJson) {
  std::vector<EncoderCandidate> out;
  try {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(std::string(featuresJson));
    auto array = parsed.extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < array->size(); ++i) {
      auto f = array->getObject(static_cast<unsigned>(i));
      if (!f || get<std::string>(f, "kind", "") != "encoder")
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
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("bad features JSON: " + e.displayText());
  } catch (const std::bad_cast& e) {
    throw std::invalid_argument(std::string("bad features JSON: ") + e.what());
  }
  return out;
}

}  // namespace rdk::encoding
