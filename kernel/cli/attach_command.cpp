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

namespace {

/// "scheme://user[:password]@host:port" -> "scheme://host:port", |user| and |password| taken
/// out, as `xpra attach tcp://user:pass@host:port/` takes them (the proxy needs the user name).
void takeUrlCredentials(std::string* url, std::string* user, std::string* password,
                        bool* hasPassword) {
  const size_t scheme = url->find("://");
  if (scheme == std::string::npos)
    return;
  const size_t start = scheme + 3;
  const size_t end = url->find('/', start);
  const size_t at = url->rfind('@', end == std::string::npos ? url->size() : end);
  if (at == std::string::npos || at < start)
    return;
  const std::string credentials = url->substr(start, at - start);
  const size_t colon = credentials.find(':');
  *user = credentials.substr(0, colon);
  *hasPassword = colon != std::string::npos;
  if (*hasPassword)
    *password = credentials.substr(colon + 1);
  url->erase(start, at + 1 - start);
}

}  // namespace

int runAttach(config::Config& config, plugin::Registry& registry,
              const std::vector<std::string>& args) {
  static const char* const kUsage =
      "usage: rdkernel attach [URL | :N] [--headless | --display :N] [--snapshot FILE.png] "
      "[--seconds N]\n"
      "                           [--username NAME] [--password-file FILE] [--encoding NAME]\n"
      "                           [--json] [--no-status]\n"
      "       URL: scheme://[user[:password]@]host:port (as xpra attach)\n";
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
  const std::optional<std::string> usernameFlag = parser.value("--username");
  options.username = usernameFlag.value_or(config.getString("client.username"));
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
  std::string urlUser, urlPassword;
  bool urlHasPassword = false;
  takeUrlCredentials(&options.url, &urlUser, &urlPassword, &urlHasPassword);
  if (!urlUser.empty() && !usernameFlag)
    options.username = urlUser;
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
  if (urlHasPassword && options.password.empty())
    options.password = urlPassword;
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
