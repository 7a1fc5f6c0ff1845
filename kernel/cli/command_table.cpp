// The subcommand table. Areas append their commands here (serve, attach, info, demo...).
#include "rdk/cli/command.h"
#include "rdk/cli/plugin_listing.h"
#include "rdk/session/commands.h"

namespace rdk::cli {

namespace {

int explain(CommandContext& ctx, const std::string& helloJsonPath) {
  return rdk::session::runExplain(ctx.config, ctx.registry, helloJsonPath);
}

int serve(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::session::runServe(ctx.config, ctx.registry, args);
}
int attach(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::session::runAttach(ctx.config, ctx.registry, args);
}
int info(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::session::runInfo(ctx.config, ctx.registry, args);
}
int demo(CommandContext& ctx, const std::vector<std::string>& args) {
  return rdk::session::runDemo(ctx.config, ctx.registry, args);
}

}  // namespace

ExplainHook explainHook = &explain;

std::vector<Command> commandTable() {
  return {
      {"plugins", "list plugins (same as --plugins; --json, --verify, --probe, --explain FILE)",
       &pluginsCommand},
      {"serve", "serve the desktop: [--bind URL]... [--platform synthetic|x11] [--display :N]",
       &serve},
      {"attach",
       "attach to a server: URL [--headless] [--display :N] [--snapshot FILE.png] [--seconds N] "
       "[--username NAME] [--password-file FILE] [--encoding NAME] [--json] [--no-status]",
       &attach},
      {"info", "print a server's info as JSON: URL [--password-file FILE]", &info},
      {"demo",
       "server + headless client on loopback: [--transport udp|tcp|dtls] [--loss PCT] "
       "[--seconds N] [--size WxH] [--snapshot FILE.png] [--json]",
       &demo},
  };
}

}  // namespace rdk::cli
