#include <unistd.h>

#include <cstdio>

#include "command_support.h"
#include "rdk/config/config.h"
#include "rdk/session/client.h"
#include "session_commands.h"
#include "session_dir.h"
#include "summary_printer.h"

namespace rdk::cli {

using session::Client;
using session::ClientOptions;
using session::ClientSummary;

int runAttach(config::Config& config, plugin::Registry& registry,
              const std::vector<std::string>& args) {
  static const char* const kUsage =
      "usage: rdkernel attach [URL | :N] [--headless | --display :N] [--snapshot FILE.png] "
      "[--seconds N]\n"
      "                           [--username NAME] [--password-file FILE] [--encoding NAME]\n"
      "                           [--json] [--no-status]\n";
  ArgParser parser(args);
  if (parser.flag("--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  ClientOptions options;
  options.encoding = parser.value("--encoding").value_or("auto");
  options.headless = parser.flag("--headless") || config.getBool("client.headless");
  options.display = parser.value("--display").value_or("");
  options.snapshotPath = parser.value("--snapshot").value_or(config.getString("client.snapshot"));
  options.username = parser.value("--username").value_or(config.getString("client.username"));
  const std::string passwordFile =
      parser.value("--password-file").value_or(config.getString("client.password-file"));
  const auto seconds = parser.value("--seconds");
  const bool json = parser.flag("--json");
  options.syntheticInput = parser.flag("--synthetic-input");
  options.statusLine = !parser.flag("--no-status") && isatty(STDERR_FILENO);
  const std::vector<std::string> positional = parser.positional();
  if (!parser.error().empty() || positional.size() > 1) {
    std::fprintf(stderr, "rdkernel attach: %s\n%s",
                 parser.error().empty() ? "expected one URL" : parser.error().c_str(), kUsage);
    return 2;
  }
  // ":N" or nothing: a session of this user's, through its socket (rdkernel list).
  std::string resolveError;
  if (!resolveSessionUrl(positional.empty() ? "" : positional[0], &options.url, &resolveError)) {
    std::fprintf(stderr, "rdkernel attach: %s\n", resolveError.c_str());
    return 1;
  }
  if (const std::string problem = urlProblem(options.url); !problem.empty()) {
    std::fprintf(stderr, "rdkernel attach: %s\n", problem.c_str());
    return 2;
  }
  if (seconds) {
    try {
      options.seconds = std::stod(*seconds);
    } catch (const std::exception&) {
      std::fprintf(stderr, "rdkernel attach: --seconds: not a number: %s\n", seconds->c_str());
      return 2;
    }
  }
  if (!passwordFile.empty()) {
    std::string error;
    options.password = readPasswordFile(passwordFile, &error);
    if (!error.empty()) {
      std::fprintf(stderr, "rdkernel attach: %s\n", error.c_str());
      return 2;
    }
  }
  installStopSignals();
  Client client(config, registry, options);
  const int code = client.run(stopFlag());
  const ClientSummary summary = client.summary();
  if (json) {
    std::printf("%s\n", summaryJson(summary).c_str());
  } else if (summary.handshakeOk) {
    printClientSummary(stdout, summary);
  }
  // Without a session the error printed above is all there is to say: a table of zeros after it
  // only hid it.
  return code;
}

}  // namespace rdk::cli
