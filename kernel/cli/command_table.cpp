// The subcommand table. Areas append their commands here (serve, attach, info, demo...).
#include "rdk/cli/command.h"
#include "rdk/cli/plugin_listing.h"

namespace rdk::cli {

ExplainHook explainHook = nullptr;

std::vector<Command> commandTable() {
  return {
      {"plugins", "list plugins (same as --plugins; --json, --verify, --probe, --explain FILE)",
       &pluginsCommand},
  };
}

}  // namespace rdk::cli
