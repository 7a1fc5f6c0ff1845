#include "seamless_options.h"

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

[[noreturn]] void bad(const std::string& key, const char* what) {
  throw Error(RDK_E_INVALID_ARG, "seamless: option '" + key + "' must be " + what);
}

std::string text(const json::Value& o, const std::string& key, const std::string& fallback) {
  const json::Value* v = o.find(key);
  if (!v)
    return fallback;
  if (!v->isString())
    bad(key, "a string");
  return v->asString();
}

bool flag(const json::Value& o, const std::string& key, bool fallback) {
  const json::Value* v = o.find(key);
  if (!v)
    return fallback;
  if (!v->isBool())
    bad(key, "true or false");
  return v->asBool();
}

int64_t integer(const json::Value& o, const std::string& key, int64_t fallback, int64_t min,
                int64_t max) {
  const json::Value* v = o.find(key);
  if (!v)
    return fallback;
  if (!v->isInt())
    bad(key, "an integer");
  const int64_t n = v->asInt();
  if (n < min || n > max)
    bad(key, ("in " + std::to_string(min) + ".." + std::to_string(max)).c_str());
  return n;
}

// A command list: a JSON array of strings, or one string for a single command.
std::vector<std::string> commands(const json::Value& o, const std::string& key) {
  const json::Value* v = o.find(key);
  if (!v)
    return {};
  if (v->isString()) {
    const std::string& s = v->asString();
    return s.empty() ? std::vector<std::string>{} : std::vector<std::string>{s};
  }
  if (!v->isArray())
    bad(key, "a command or a list of commands");
  std::vector<std::string> out;
  for (const json::Value& item : v->asArray()) {
    if (!item.isString() || item.asString().empty())
      bad(key, "a list of non-empty command strings");
    out.push_back(item.asString());
  }
  if (out.size() > 64)
    bad(key, "at most 64 commands");
  return out;
}

}  // namespace

SeamlessOptions SeamlessOptions::parse(const std::string& source) {
  SeamlessOptions opts;
  if (source.find_first_not_of(" \t\r\n") == std::string::npos)
    return opts;
  json::Value o;
  try {
    o = json::Value::parse(source);
  } catch (const json::ParseError& e) {
    throw Error(RDK_E_INVALID_ARG,
                std::string("seamless: options are not a JSON object: ") + e.what());
  }
  if (!o.isObject())
    throw Error(RDK_E_INVALID_ARG, "seamless: options are not a JSON object");
  opts.xvfb = text(o, "xvfb", opts.xvfb);
  opts.display = text(o, "display", opts.display);
  if (!opts.display.empty()) {
    const std::string digits = opts.display.substr(1);
    if (opts.display[0] != ':' || digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      bad("display", "a local display name like \":100\"");
    }
  }
  if (opts.xvfb.empty() && opts.display.empty())
    bad("display", "set when 'xvfb' is empty (there is no display to start)");
  opts.width = static_cast<uint32_t>(integer(o, "width", opts.width, 320, 16384));
  opts.height = static_cast<uint32_t>(integer(o, "height", opts.height, 240, 16384));
  opts.start = commands(o, "start");
  opts.startChild = commands(o, "start_child");
  opts.exitWithChildren = flag(o, "exit_with_children", opts.exitWithChildren);
  opts.shm = flag(o, "shm", opts.shm);
  opts.maxDamageRects =
      static_cast<int32_t>(integer(o, "max_damage_rects", opts.maxDamageRects, 1, 4096));
  return opts;
}

}  // namespace rdk::x11
