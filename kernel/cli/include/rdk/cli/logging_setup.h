// Poco logging from logging.level and logging.file.
#pragma once

#include "rdk/config/config.h"

namespace rdk::cli {

/// Routes the root logger to logging.file (or stderr) at logging.level.
void setupLogging(const rdk::config::Config& config);

}  // namespace rdk::cli
