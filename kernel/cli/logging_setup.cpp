// Poco logging configured from rdkernel.conf.
#include "rdk/cli/logging_setup.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rdk::cli {

std::string loggingFileProblem(const std::string& file) {
  namespace fs = std::filesystem;
  if (file.empty())
    return {};
  std::error_code ec;
  const fs::path path(file);
  const fs::file_status st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (fs::is_directory(st))
      return "'" + file + "' is a directory";
    if (::access(file.c_str(), W_OK) != 0)
      return "cannot write to '" + file + "': " + std::strerror(errno);
    return {};
  }
  // Poco's FileChannel creates the file but not its directory.
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    return "cannot create '" + file + "': directory '" + dir.string() + "' does not exist";
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return "cannot create '" + file + "' in '" + dir.string() + "': " + std::strerror(errno);
  }
  return {};
}

void checkLoggingFile(const rdk::config::Config& config) {
  const std::string problem = loggingFileProblem(config.getString("logging.file"));
  if (!problem.empty())
    throw config.errorAt("logging.file", problem);
}

void setupLogging(const rdk::config::Config& config) {
  checkLoggingFile(config);
  Poco::AutoPtr<Poco::Channel> sink;
  const std::string file = config.getString("logging.file");
  if (file.empty()) {
    sink = new Poco::ConsoleChannel;  // std::clog: stdout stays clean for --json and probes
  } else {
    Poco::AutoPtr<Poco::FileChannel> fileChannel(new Poco::FileChannel(file));
    // FileChannel opens lazily, on the first message: a file it cannot open then threw from
    // whichever thread logged first (a client connection) and took the server down with exit 134.
    // Opened here, the failure is a configuration error at start-up instead.
    try {
      fileChannel->open();
    } catch (const Poco::Exception& e) {
      throw config.errorAt("logging.file", "cannot open '" + file + "': " + e.displayText());
    }
    sink = fileChannel;
  }
  Poco::AutoPtr<Poco::PatternFormatter> format(
      new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %q %s: %t"));
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, sink));
  const std::string level = config.getString("logging.level");
  Poco::Logger& root = Poco::Logger::root();
  root.setChannel(channel);
  root.setLevel(level);
  // Loggers created before this point (plugins' static loggers) follow the root.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace rdk::cli
