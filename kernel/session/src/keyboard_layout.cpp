#include "rdk/session/keyboard_layout.h"

#include <climits>
#include <sstream>

#include "rdk/json.hpp"

namespace rdk::session {

using protocol::Value;

std::string KeyboardLayoutSpec::toJson() const {
  json::Value o = json::Value::object();
  o.set("layout", layout);
  o.set("variant", variant);
  o.set("options", options);
  o.set("model", model);
  o.set("rules", rules);
  o.set("repeat_delay", repeatDelayMs);
  o.set("repeat_interval", repeatIntervalMs);
  return o.dump();
}

KeyboardLayoutSpec KeyboardLayoutSpec::fromJson(const std::string& text) {
  KeyboardLayoutSpec k;
  try {
    const json::Value o = json::Value::parse(text);
    auto get = [&](const char* key) {
      const json::Value* v = o.find(key);
      return v && !v->isNull() ? v->asText() : std::string();
    };
    k.layout = get("layout");
    k.variant = get("variant");
    k.options = get("options");
    k.model = get("model");
    k.rules = get("rules");
    auto getInt = [&](const char* key) {
      const json::Value* v = o.find(key);
      if (!v || !v->isNumber())
        return 0;
      const double d = v->asDouble();
      return d < INT_MIN || d > INT_MAX ? 0 : static_cast<int>(d);
    };
    k.repeatDelayMs = getInt("repeat_delay");
    k.repeatIntervalMs = getInt("repeat_interval");
  } catch (const json::ParseError&) {
  }
  return k;
}

KeyboardLayoutSpec parseXkbQuery(const std::string& query) {
  KeyboardLayoutSpec k;
  std::istringstream in(query);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos)
      continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    const size_t first = value.find_first_not_of(" \t");
    value = first == std::string::npos ? "" : value.substr(first);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r'))
      value.pop_back();
    if (key == "layout")
      k.layout = value;
    else if (key == "variant")
      k.variant = value;
    else if (key == "options")
      k.options = value;
    else if (key == "model")
      k.model = value;
    else if (key == "rules")
      k.rules = value;
  }
  return k;
}

KeyboardLayoutSpec keyboardLayoutFromCaps(const protocol::Capabilities& caps) {
  KeyboardLayoutSpec k;
  k.layout = caps.getString("xkbmap_layout").value_or("");
  k.variant = caps.getString("xkbmap_variant").value_or("");
  k.options = caps.getString("xkbmap_options").value_or("");
  if (k.layout.empty()) {
    // 3.1.3 clients on X11 may send only setxkbmap -query's text.
    KeyboardLayoutSpec q = parseXkbQuery(caps.getString("xkbmap_query").value_or(""));
    if (!q.layout.empty())
      k = q;
  }
  const std::vector<int64_t> repeat = caps.getIntList("key_repeat");
  if (repeat.size() == 2 && repeat[0] > 0 && repeat[1] > 0 && repeat[0] <= 10000 &&
      repeat[1] <= 10000) {
    k.repeatDelayMs = static_cast<int>(repeat[0]);
    k.repeatIntervalMs = static_cast<int>(repeat[1]);
  }
  return k;
}

void addKeyboardCaps(Value& caps, const KeyboardLayoutSpec& layout) {
  caps.set("keyboard", Value(true));
  caps.set("xkbmap_layout", Value(layout.layout));
  caps.set("xkbmap_variant", Value(layout.variant));
  caps.set("xkbmap_options", Value(layout.options));
  std::string query;
  if (!layout.rules.empty())
    query += "rules:      " + layout.rules + "\n";
  if (!layout.model.empty())
    query += "model:      " + layout.model + "\n";
  query += "layout:     " + layout.layout + "\n";
  if (!layout.variant.empty())
    query += "variant:    " + layout.variant + "\n";
  if (!layout.options.empty())
    query += "options:    " + layout.options + "\n";
  caps.set("xkbmap_query", Value(query));
  if (layout.repeatDelayMs > 0 && layout.repeatIntervalMs > 0) {
    caps.set("key_repeat",
             Value(Value::List{Value(layout.repeatDelayMs), Value(layout.repeatIntervalMs)}));
  }
  caps.set("keyboard_sync", Value(false));
}

}  // namespace rdk::session
