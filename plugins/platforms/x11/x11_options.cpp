#include "x11_options.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include <type_traits>
#include <typeinfo>

#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

// Strict: Poco would quietly turn 7 into "7" or "yes" into true; a typo should be an error.
template <class T>
T valueOf(const Poco::JSON::Object& o, const std::string& key, T fallback, const char* what) {
  if (!o.has(key))
    return fallback;
  const Poco::Dynamic::Var v = o.get(key);
  bool typeOk = false;
  if constexpr (std::is_same_v<T, std::string>) {
    typeOk = v.isString();
  } else if constexpr (std::is_same_v<T, bool>) {
    typeOk = v.type() == typeid(bool);
  } else {
    typeOk = v.isInteger();
  }
  if (!typeOk)
    throw Error(RDK_E_INVALID_ARG, "x11: option '" + key + "' must be " + what);
  try {
    return v.convert<T>();
  } catch (const Poco::Exception&) {
    throw Error(RDK_E_INVALID_ARG, "x11: option '" + key + "' must be " + what);
  }
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

std::string withDeclaredSettings(const std::string& json, const ConfigLookup& config) {
  Poco::JSON::Object::Ptr o;
  try {
    o = json.find_first_not_of(" \t\r\n") == std::string::npos
            ? Poco::JSON::Object::Ptr(new Poco::JSON::Object)
            : Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return json;
  }
  if (!o)
    return json;
  for (const DeclaredSetting& s : kSettings) {
    const std::optional<std::string> value = o->has(s.option) ? std::nullopt : config(s.key);
    if (!value || value->empty())
      continue;
    if (s.boolean) {
      o->set(s.option, *value == "true" || *value == "yes" || *value == "on" || *value == "1");
    } else {
      try {
        o->set(s.option, std::stoi(*value));
      } catch (const std::exception&) {
        throw Error(RDK_E_INVALID_ARG, std::string(s.key) + " is not an integer: " + *value);
      }
    }
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(o, out);
  return out.str();
}

X11Options X11Options::parse(const std::string& json) {
  X11Options opts;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos)
    return opts;
  Poco::JSON::Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw Error(RDK_E_INVALID_ARG, "x11: options are not a JSON object: " + e.displayText());
  } catch (const std::exception& e) {
    throw Error(RDK_E_INVALID_ARG, std::string("x11: options are not a JSON object: ") + e.what());
  }
  if (!o)
    throw Error(RDK_E_INVALID_ARG, "x11: options are not a JSON object");
  opts.display = valueOf<std::string>(*o, "display", opts.display, "a display name like \":1\"");
  opts.shm = valueOf<bool>(*o, "shm", opts.shm, "true or false");
  opts.maxDamageRects = valueOf<int32_t>(*o, "max_damage_rects", opts.maxDamageRects, "an integer");
  opts.pointerIntervalMs =
      valueOf<int32_t>(*o, "pointer_interval_ms", opts.pointerIntervalMs, "an integer");
  if (opts.maxDamageRects < 1 || opts.maxDamageRects > 4096) {
    throw Error(RDK_E_INVALID_ARG, "x11: option 'max_damage_rects' must be in 1..4096");
  }
  if (opts.pointerIntervalMs < 0 || opts.pointerIntervalMs > 60000) {
    throw Error(RDK_E_INVALID_ARG, "x11: option 'pointer_interval_ms' must be in 0..60000");
  }
  return opts;
}

}  // namespace rdk::x11
