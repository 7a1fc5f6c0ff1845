// `rdkernel proxy` (kernel/proxy): the subcommand's entry point.
#pragma once

#include <string>
#include <vector>

#include "rdk/cli/command.h"

namespace rdk::cli {

int runProxy(CommandContext& ctx, const std::vector<std::string>& args);

}  // namespace rdk::cli
