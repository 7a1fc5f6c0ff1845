// Small helpers shared by the session subcommands.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace rdk::cli {

/// The stop flag set by SIGINT / SIGTERM.
std::atomic<bool>& stopFlag();
/// The flag SIGHUP sets (installReloadSignal): the server reads its configuration again.
std::atomic<bool>& reloadFlag();
void installReloadSignal();

/// Parses "--name value" / "--name=value" / "--flag" options; positional arguments are kept.
class ArgParser {
 public:
  explicit ArgParser(const std::vector<std::string>& args) : args_(args) {}
  /// The value of --name, or nullopt; a missing value sets error().
  std::optional<std::string> value(const std::string& name);
  std::vector<std::string> values(const std::string& name);
  bool flag(const std::string& name);
  /// Arguments not consumed by value()/flag(); anything starting with "--" is an error.
  std::vector<std::string> positional();
  const std::string& error() const { return error_; }

 private:
  std::vector<std::string> args_;
  std::string error_;
};

/// Empty when |url| has the scheme://host form the transports take, else what is wrong, with the
/// likely intended URL for Xpra's scheme:host:port form ("tcp:h:14500" -> "tcp://h:14500").
std::string urlProblem(const std::string& url);

std::string readPasswordFile(const std::string& path, std::string* error);

}  // namespace rdk::cli
