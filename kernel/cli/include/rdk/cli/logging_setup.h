// Poco logging from logging.level and logging.file.
#pragma once

#include <string>

#include "rdk/config/config.h"

namespace rdk::cli {

/// Empty when logging.file |file| can be opened for appending (or is empty: stderr), else why not.
/// Checks without creating the file (what --check-config needs).
std::string loggingFileProblem(const std::string& file);

/// Throws ConfigError at logging.file's FILE:LINE when it cannot be opened.
void checkLoggingFile(const rdk::config::Config& config);

/// Routes the root logger to logging.file (or stderr) at logging.level. A file that cannot be
/// opened is a ConfigError here, at start-up, never later in a logging thread.
void setupLogging(const rdk::config::Config& config);

}  // namespace rdk::cli
