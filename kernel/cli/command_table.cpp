// The subcommand table. Areas append their commands here (serve, attach, info, demo...).
#include "proxy_command.h"
#include "rdk/cli/command.h"
#include "rdk/cli/plugin_listing.h"
#include "session_commands.h"

namespace rdk::cli {

namespace {

int explain(CommandContext& ctx, const std::string& helloJsonPath) {
  return rdk::cli::runExplain(ctx.config, ctx.registry, helloJsonPath);
}

int serve(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runServe(ctx.config, ctx.registry, args);
}
int start(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runStart(ctx.config, ctx.registry, args);
}
int shadow(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runShadow(ctx.config, ctx.registry, args);
}
int list(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runList(ctx.config, ctx.registry, args);
}
int attach(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runAttach(ctx.config, ctx.registry, args);
}
int stop(CommandContext& ctx, const std::vector<std::string>& args) {
  return runStop(ctx.config, ctx.registry, args);
}
int info(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runInfo(ctx.config, ctx.registry, args);
}
int demo(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::cli::runDemo(ctx.config, ctx.registry, args);
}

}  // namespace

ExplainHook explainHook = &explain;

std::vector<Command> commandTable() {
  return {
      {"plugins", "list plugins (same as --plugins; --json, --verify, --probe, --explain FILE)",
       &pluginsCommand},
      {"serve", "serve the desktop: [--bind URL]... [--platform synthetic|x11] [--display :N]",
       &serve},
      {"start",
       "serve applications as seamless windows on a virtual display of their own: [:N] "
       "[--start=CMD]... [--start-child=CMD]... [--exit-with-children] [--xvfb=CMD] "
       "[--bind URL]... [--size WxH] (found by list, attach :N, stop :N)",
       &start},
      {"shadow",
       "serve an existing display (default $DISPLAY) as one window, as xpra shadow: [:N] "
       "[--bind URL]...",
       &shadow},
      {"list", "list this user's sessions (start, shadow): display, pid, URLs, LIVE or DEAD",
       &list},
      {"attach",
       "attach to a server: URL | :N (a listed session) [--headless] [--display :N] [--snapshot "
       "FILE.png] [--seconds N] "
       "[--username NAME] [--password-file FILE] [--encoding NAME] [--json] [--no-status]",
       &attach},
      {"info", "print a server's info as JSON: URL | :N [--password-file FILE] [--username NAME]",
       &info},
      {"stop", "stop a server (as xpra stop): URL | :N [--password-file FILE] [--username NAME]",
       &stop},
      {"proxy",
       "one port for many users, a session each (as xpra proxy): --bind tcp://HOST:PORT --users "
       "FILE [--launcher auto|child|systemd] [--idle-timeout S] | --list",
       &runProxy},
      {"demo",
       "server + headless client on loopback: [--transport udp|tcp|dtls] [--loss PCT] "
       "[--seconds N] [--size WxH] [--snapshot FILE.png] [--json]",
       &demo},
  };
}

}  // namespace rdk::cli
