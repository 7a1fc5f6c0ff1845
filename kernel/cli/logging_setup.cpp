// Poco logging configured from rdkernel.conf.
#include "rdk/cli/logging_setup.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>

namespace rdk::cli {

void setupLogging(const rdk::config::Config& config) {
  Poco::AutoPtr<Poco::Channel> sink;
  const std::string file = config.getString("logging.file");
  if (file.empty()) {
    sink = new Poco::ConsoleChannel;  // std::clog: stdout stays clean for --json and probes
  } else {
    auto* fileChannel = new Poco::FileChannel(file);
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
