#include "x11_options.h"

#include <limits>
#include <type_traits>

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

// Strict: 7 is not "7" nor "yes" true here; a typo should be an error.
template <class T>
T valueOf(const json::Value& o, const std::string& key, T fallback, const char* what) {
  const json::Value* v = o.find(key);
  if (!v)
    return fallback;
  if constexpr (std::is_same_v<T, std::string>) {
    if (v->isString())
      return v->asString();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (v->isBool())
      return v->asBool();
  } else {
    if (v->isInt() && v->asInt() >= std::numeric_limits<T>::min() &&
        v->asInt() <= std::numeric_limits<T>::max())
      return static_cast<T>(v->asInt());
  }
  throw Error(RDK_E_INVALID_ARG, "x11: option '" + key + "' must be " + what);
}

struct DeclaredSetting {
  const char* key;
  const char* option;
  bool boolean;
};
const DeclaredSetting kSettings[] = {
    {"platform.x11.shm", "shm", true},
    {"platform.x11.max-damage-rects", "max_damage_rects", false},
    {"platform.x11.pointer-interval-ms", "pointer_interval_ms", false},
};

}  // namespace

std::string withDeclaredSettings(const std::string& text, const ConfigLookup& config) {
  json::Value o = json::Value::object();
  try {
    if (text.find_first_not_of(" \t\r\n") != std::string::npos)
      o = json::Value::parse(text);
  } catch (const json::ParseError&) {
    return text;  // X11Options::parse says what is wrong with it
  }
  if (!o.isObject())
    return text;
  for (const DeclaredSetting& s : kSettings) {
    const std::optional<std::string> value = o.has(s.option) ? std::nullopt : config(s.key);
    if (!value || value->empty())
      continue;
    if (s.boolean) {
      o.set(s.option, *value == "true" || *value == "yes" || *value == "on" || *value == "1");
    } else {
      try {
        o.set(s.option, std::stoi(*value));
      } catch (const std::exception&) {
        throw Error(RDK_E_INVALID_ARG, std::string(s.key) + " is not an integer: " + *value);
      }
    }
  }
  return o.dump();
}

X11Options X11Options::parse(const std::string& text) {
  X11Options opts;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return opts;
  json::Value o;
  try {
    o = json::Value::parse(text);
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("x11: options are not a JSON object: ") + e.what());
  }
  if (!o.isObject())
    throw Error(RDK_E_INVALID_ARG, "x11: options are not a JSON object");
  opts.display = valueOf<std::string>(o, "display", opts.display, "a display name like \":1\"");
  opts.shm = valueOf<bool>(o, "shm", opts.shm, "true or false");
  opts.maxDamageRects = valueOf<int32_t>(o, "max_damage_rects", opts.maxDamageRects, "an integer");
  opts.pointerIntervalMs =
      valueOf<int32_t>(o, "pointer_interval_ms", opts.pointerIntervalMs, "an integer");
  if (opts.maxDamageRects < 1 || opts.maxDamageRects > 4096) {
    throw Error(RDK_E_INVALID_ARG, "x11: option 'max_damage_rects' must be in 1..4096");
  }
  if (opts.pointerIntervalMs < 0 || opts.pointerIntervalMs > 60000) {
    throw Error(RDK_E_INVALID_ARG, "x11: option 'pointer_interval_ms' must be in 0..60000");
  }
  return opts;
}

}  // namespace rdk::x11
