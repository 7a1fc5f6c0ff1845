#include "options.h"

#include <Poco/JSON/Parser.h>

#include <typeinfo>

#include "rdk/plugin.hpp"

namespace rdk::synthetic {
namespace {

int64_t intIn(const Poco::JSON::Object& o, const std::string& key, int64_t fallback, int64_t lo,
              int64_t hi) {
  if (!o.has(key))
    return fallback;
  // Strict: Poco would quietly turn "640" into 640; a quoted number is a mistake worth reporting.
  const Poco::Dynamic::Var var = o.get(key);
  int64_t v = 0;
  try {
    if (!var.isInteger())
      throw Poco::BadCastException(key);
    v = var.convert<int64_t>();
  } catch (const Poco::Exception&) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: option '" + key + "' must be an integer");
  }
  if (v < lo || v > hi) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: option '" + key + "' = " + std::to_string(v) +
                                       " is outside " + std::to_string(lo) + ".." +
                                       std::to_string(hi));
  }
  return v;
}

bool boolOf(const Poco::JSON::Object& o, const std::string& key, bool fallback) {
  if (!o.has(key))
    return fallback;
  try {
    const Poco::Dynamic::Var var = o.get(key);
    if (var.type() != typeid(bool))
      throw Poco::BadCastException(key);
    return var.convert<bool>();
  } catch (const Poco::Exception&) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: option '" + key + "' must be true or false");
  }
}

}  // namespace

Options Options::parse(const std::string& json) {
  Options opts;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return opts;
  Poco::JSON::Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: options are not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw Error(RDK_E_INVALID_ARG,
                std::string("synthetic: options are not a JSON object: ") + e.what());
  }
  if (!o)
    throw Error(RDK_E_INVALID_ARG, "synthetic: options are not a JSON object");
  opts.width = static_cast<int32_t>(intIn(*o, "width", opts.width, kMinWidth, kMaxWidth));
  opts.height = static_cast<int32_t>(intIn(*o, "height", opts.height, kMinHeight, kMaxHeight));
  opts.fps = static_cast<int32_t>(intIn(*o, "fps", opts.fps, 1, 240));
  opts.seed = static_cast<uint64_t>(intIn(*o, "seed", 1, 0, INT64_MAX));
  opts.sound = boolOf(*o, "sound", opts.sound);
  opts.pointer = boolOf(*o, "pointer", opts.pointer);
  if (o->has("input_log")) {
    const Poco::Dynamic::Var var = o->get("input_log");
    if (!var.isString())
      throw Error(RDK_E_INVALID_ARG, "synthetic: option 'input_log' must be a path string");
    opts.inputLog = var.convert<std::string>();
  }
  return opts;
}

}  // namespace rdk::synthetic
