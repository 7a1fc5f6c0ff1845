// `rdkernel start`: Xpra's `xpra start :N --start=xterm`. A server on the seamless platform: a
// virtual display of its own (Xvfb) whose top-level windows are each a remote window, with the
// given applications started on it. Everything else is `rdkernel serve`.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "command_support.h"
#include "rdk/config/config.h"
#include "session_commands.h"
#include "session_dir.h"

namespace rdk::cli {
namespace {

// server.start is a comma-separated list: a command with a comma cannot be told apart.
bool joinCommands(const std::vector<std::string>& commands, std::string* out, std::string* error) {
  out->clear();
  for (const std::string& command : commands) {
    if (command.find(',') != std::string::npos) {
      *error = "a command may not contain ',' (put it in a script): " + command;
      return false;
    }
    if (command.find_first_not_of(" \t") == std::string::npos) {
      *error = "empty command";
      return false;
    }
    *out += (out->empty() ? "" : ",") + command;
  }
  return true;
}

}  // namespace

int runStart(config::Config& config, plugin::Registry& registry,
             const std::vector<std::string>& args) {
  ArgParser parser(args);
  const std::vector<std::string> start = parser.values("--start");
  const std::vector<std::string> startChild = parser.values("--start-child");
  const bool exitWithChildren = parser.flag("--exit-with-children");
  const std::optional<std::string> xvfb = parser.value("--xvfb");
  // What is left goes to serve (--bind, --size...), except the display name.
  std::vector<std::string> rest;
  std::string display;
  for (const std::string& arg : parser.positional()) {
    if (!arg.empty() && arg[0] == ':' && display.empty())
      display = arg;
    else
      rest.push_back(arg);
  }
  std::string error;
  std::string joined;
  if (!joinCommands(start, &joined, &error)) {
    std::fprintf(stderr, "rdkernel start: --start: %s\n", error.c_str());
    return 2;
  }
  config.set("server.start", joined, "--start");
  if (!joinCommands(startChild, &joined, &error)) {
    std::fprintf(stderr, "rdkernel start: --start-child: %s\n", error.c_str());
    return 2;
  }
  config.set("server.start-child", joined, "--start-child");
  if (exitWithChildren) {
    if (startChild.empty()) {
      std::fprintf(stderr, "rdkernel start: --exit-with-children needs a --start-child\n");
      return 2;
    }
    config.set("server.exit-with-children", "true", "--exit-with-children");
  }
  if (xvfb)
    config.set("server.xvfb", *xvfb, "--xvfb");
  if (!display.empty()) {
    if (displayNumber(display) < 0) {
      std::fprintf(stderr, "rdkernel start: not a display: %s (expected :N)\n", display.c_str());
      return 2;
    }
    config.set("server.display", display, "display");
  }
  // Clients move windows anywhere on their own screens and the server's windows follow: a
  // virtual screen as large as a 4K monitor (unless sized) keeps them and the pointer on it.
  const bool sized = std::find_if(rest.begin(), rest.end(), [](const std::string& a) {
                       return a == "--size" || a.rfind("--size=", 0) == 0;
                     }) != rest.end();
  if (!sized && config.origin("server.size").first.empty())
    config.set("server.size", "3840x2160", "rdkernel start");
  config.set("server.platform", "seamless", "rdkernel start");
  const SessionServe session{"start", "seamless", display};
  return runServeSession(config, registry, rest, &session);
}

int runShadow(config::Config& config, plugin::Registry& registry,
              const std::vector<std::string>& args) {
  std::vector<std::string> rest;
  std::string display;
  for (const std::string& arg : args) {
    if (!arg.empty() && arg[0] == ':' && display.empty())
      display = arg;
    else
      rest.push_back(arg);
  }
  if (display.empty()) {
    // As `xpra shadow`: the display this shell is on. ":0.0" names screen 0 of :0.
    const char* env = std::getenv("DISPLAY");
    display = env ? env : "";
    if (const size_t dot = display.find('.'); dot != std::string::npos && display[0] == ':')
      display.resize(dot);
  }
  if (displayNumber(display) < 0) {
    std::fprintf(stderr, "rdkernel shadow: %s (expected a local display :N, or $DISPLAY)\n",
                 display.empty() ? "no display" : ("not a local display: " + display).c_str());
    return 2;
  }
  config.set("server.display", display, "rdkernel shadow");
  config.set("server.platform", "x11", "rdkernel shadow");
  const SessionServe session{"shadow", "shadow", display};
  return runServeSession(config, registry, rest, &session);
}

}  // namespace rdk::cli
