#include "options.h"

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::synthetic {
namespace {

int64_t intIn(const json::Value& o, const std::string& key, int64_t fallback, int64_t lo,
              int64_t hi) {
  const json::Value* var = o.find(key);
  if (!var)
    return fallback;
  // Strict: a quoted number ("640") is a mistake worth reporting.
  if (!var->isInt())
    throw Error(RDK_E_INVALID_ARG, "synthetic: option '" + key + "' must be an integer");
  const int64_t v = var->asInt();
  if (v < lo || v > hi) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: option '" + key + "' = " + std::to_string(v) +
                                       " is outside " + std::to_string(lo) + ".." +
                                       std::to_string(hi));
  }
  return v;
}

bool boolOf(const json::Value& o, const std::string& key, bool fallback) {
  const json::Value* var = o.find(key);
  if (!var)
    return fallback;
  if (!var->isBool())
    throw Error(RDK_E_INVALID_ARG, "synthetic: option '" + key + "' must be true or false");
  return var->asBool();
}

}  // namespace

Options Options::parse(const std::string& text) {
  Options opts;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return opts;
  json::Value o;
  try {
    o = json::Value::parse(text);
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG,
                std::string("synthetic: options are not a JSON object: ") + e.what());
  }
  if (!o.isObject())
    throw Error(RDK_E_INVALID_ARG, "synthetic: options are not a JSON object");
  opts.width = static_cast<int32_t>(intIn(o, "width", opts.width, kMinWidth, kMaxWidth));
  opts.height = static_cast<int32_t>(intIn(o, "height", opts.height, kMinHeight, kMaxHeight));
  opts.fps = static_cast<int32_t>(intIn(o, "fps", opts.fps, 1, 240));
  opts.seed = static_cast<uint64_t>(intIn(o, "seed", 1, 0, INT64_MAX));
  opts.sound = boolOf(o, "sound", opts.sound);
  opts.pointer = boolOf(o, "pointer", opts.pointer);
  if (const json::Value* var = o.find("input_log")) {
    if (!var->isString())
      throw Error(RDK_E_INVALID_ARG, "synthetic: option 'input_log' must be a path string");
    opts.inputLog = var->asString();
  }
  return opts;
}

}  // namespace rdk::synthetic
