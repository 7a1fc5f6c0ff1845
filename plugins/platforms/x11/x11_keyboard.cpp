#include "x11_keyboard.h"

#include <X11/XKBlib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <vector>

#include "rdk/json.hpp"
#include "rdk/plugin.hpp"
#include "x_connection.h"

namespace rdk::x11 {
namespace {

// Layout names, variants, options: letters, digits and a few punctuation marks only, since they
// end up on setxkbmap's command line.
bool safe(const std::string& s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == ',' || c == ':' || c == '+' || c == '(' ||
                    c == ')' || c == '.';
    if (!ok)
      return false;
  }
  return s.size() < 256;
}

}  // namespace

std::string KeyboardLayout::toJson() const {
  json::Value o = json::Value::object();
  o.set("rules", rules);
  o.set("model", model);
  o.set("layout", layout);
  o.set("variant", variant);
  o.set("options", options);
  o.set("repeat_delay", repeatDelayMs);
  o.set("repeat_interval", repeatIntervalMs);
  return o.dump();
}

KeyboardLayout KeyboardLayout::fromJson(const std::string& text) {
  KeyboardLayout k;
  try {
    const json::Value o = json::Value::parse(text);
    if (!o.isObject())
      throw json::TypeError("not an object");
    auto get = [&](const char* key) {
      const json::Value* v = o.find(key);
      return v && !v->isNull() ? v->asText() : std::string();
    };
    k.rules = get("rules");
    k.model = get("model");
    k.layout = get("layout");
    k.variant = get("variant");
    k.options = get("options");
    auto getInt = [&](const char* key) {
      const json::Value* v = o.find(key);
      // Beyond int's range: INT_MAX, which the range check below refuses.
      if (!v || !v->isNumber())
        return 0;
      const double d = v->asDouble();
      return d < INT_MIN || d > INT_MAX ? INT_MAX : static_cast<int>(d);
    };
    k.repeatDelayMs = getInt("repeat_delay");
    k.repeatIntervalMs = getInt("repeat_interval");
  } catch (const std::runtime_error& e) {  // json::ParseError, json::TypeError
    throw Error(RDK_E_INVALID_ARG, std::string("x11 keyboard: bad layout JSON: ") + e.what());
  }
  for (const std::string* f : {&k.rules, &k.model, &k.layout, &k.variant, &k.options}) {
    if (!safe(*f))
      throw Error(RDK_E_INVALID_ARG, "x11 keyboard: refusing layout value '" + *f + "'");
  }
  if (k.repeatDelayMs < 0 || k.repeatDelayMs > 10000 || k.repeatIntervalMs < 0 ||
      k.repeatIntervalMs > 10000) {
    throw Error(RDK_E_INVALID_ARG, "x11 keyboard: key repeat out of range");
  }
  return k;
}

KeyboardLayout queryLayout(const std::string& display) {
  XConnection x(display);
  KeyboardLayout k;
  unsigned int delay = 0, interval = 0;
  if (XkbGetAutoRepeatRate(x.get(), XkbUseCoreKbd, &delay, &interval)) {
    k.repeatDelayMs = static_cast<int>(delay);
    k.repeatIntervalMs = static_cast<int>(interval);
  }
  Atom type = None;
  int format = 0;
  unsigned long items = 0, after = 0;
  unsigned char* data = nullptr;
  const Atom names = XInternAtom(x.get(), "_XKB_RULES_NAMES", True);
  if (names == None)
    return k;
  if (XGetWindowProperty(x.get(), x.root(), names, 0, 1024, False, XA_STRING, &type, &format,
                         &items, &after, &data) != Success ||
      !data) {
    return k;
  }
  // rules, model, layout, variant, options: NUL-separated.
  std::vector<std::string> parts;
  std::string current;
  for (unsigned long i = 0; i < items; ++i) {
    if (data[i] == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  if (!current.empty())
    parts.push_back(current);
  XFree(data);
  parts.resize(5);
  k.rules = parts[0];
  k.model = parts[1];
  k.layout = parts[2];
  k.variant = parts[3];
  k.options = parts[4];
  return k;
}

static void applyRepeat(const std::string& display, const KeyboardLayout& layout) {
  if (layout.repeatDelayMs <= 0 || layout.repeatIntervalMs <= 0)
    return;
  XConnection x(display);
  XkbSetAutoRepeatRate(x.get(), XkbUseCoreKbd, static_cast<unsigned>(layout.repeatDelayMs),
                       static_cast<unsigned>(layout.repeatIntervalMs));
  XSync(x.get(), False);
}

void applyLayout(const std::string& display, const KeyboardLayout& layout) {
  applyRepeat(display, layout);
  if (layout.layout.empty())
    return;  // the client did not say: keep the display's own
  std::vector<std::string> args{"setxkbmap",   "-display", display,       "-layout",
                                layout.layout, "-variant", layout.variant};
  if (!layout.model.empty()) {
    args.push_back("-model");
    args.push_back(layout.model);
  }
  args.push_back("-option");  // clears the display's options first
  args.push_back("");
  if (!layout.options.empty()) {
    args.push_back("-option");
    args.push_back(layout.options);
  }
  std::vector<char*> argv;  // built before fork: the child only calls async-signal-safe functions
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0)
    throw Error(RDK_E_INTERNAL, "x11 keyboard: pipe failed");
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    throw Error(RDK_E_INTERNAL, "x11 keyboard: fork failed");
  }
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(out[0]);
    close(out[1]);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string output;
  char buf[512];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0 && output.size() < 4096)
    output.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const bool missing = WIFEXITED(status) && WEXITSTATUS(status) == 127;
    throw Error(RDK_E_INVALID_ARG,
                "x11 keyboard: setxkbmap -layout " + layout.layout + " on " + display +
                    (missing ? " failed: setxkbmap not found (install x11-xkb-utils)"
                             : " failed: " + output));
  }
}

}  // namespace rdk::x11
