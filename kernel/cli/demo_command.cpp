// `rdkernel demo`: a server on the synthetic desktop and a headless client in one process, over
// loopback with simulated loss, a live status line, a summary and the last frame as PNG.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "command_support.h"
#include "rdk/config/config.h"
#include "rdk/session/client.h"
#include "rdk/session/server.h"
#include "session_commands.h"
#include "summary_printer.h"

namespace rdk::cli {

using session::Client;
using session::ClientOptions;
using session::ClientSummary;
using session::Server;

namespace {

// A throwaway self-signed certificate for demo sessions over ssl://, wss:// or dtls:// when none
// is configured; the in-process client trusts exactly this certificate. It lives in a directory
// of its own under $TMPDIR (else /tmp), removed with everything in it when the demo ends.
class DemoCertificate {
 public:
  ~DemoCertificate() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  bool make(config::Config& config, std::string* error) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/rdkernel-demo-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      *error = "cannot create a directory for the demo certificate in " + pattern;
      return false;
    }
    dir_ = pattern;
    const std::string cert = dir_ + "/cert.pem", key = dir_ + "/key.pem";
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-keyout '" +
        key + "' -out '" + cert +
        "' -subj /CN=localhost "
        "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
        "-addext keyUsage=critical,digitalSignature,keyCertSign >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) {
      *error = "openssl could not make a demo certificate (is the openssl program installed?)";
      return false;
    }
    config.set("transport.tls.cert", cert, "demo");
    config.set("transport.tls.key", key, "demo");
    config.set("transport.tls.ca", cert, "demo");
    return true;
  }

 private:
  std::string dir_;
};

}  // namespace

int runDemo(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args) {
  ArgParser parser(args);
  try {
    if (auto v = parser.value("--transport"))
      config.set("demo.transport", *v, "--transport");
    if (auto v = parser.value("--loss"))
      config.set("demo.loss-pct", *v, "--loss");
    if (auto v = parser.value("--seconds"))
      config.set("demo.seconds", *v, "--seconds");
    if (auto v = parser.value("--size"))
      config.set("demo.size", *v, "--size");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rdkernel demo: %s\n", e.what());
    return 2;
  }
  const std::string snapshot = parser.value("--snapshot").value_or("rdkernel-demo.png");
  const bool json = parser.flag("--json");
  const bool quiet = parser.flag("--quiet");
  parser.positional();
  if (!parser.error().empty()) {
    std::fprintf(stderr,
                 "rdkernel demo: %s\nusage: rdkernel demo [--transport udp|tcp|dtls|ssl|ws|wss] "
                 "[--loss PCT] [--seconds N] [--size WxH] [--snapshot FILE.png] [--json]\n",
                 parser.error().c_str());
    return 2;
  }
  const std::string transport = config.getString("demo.transport");
  const double loss = config.getDouble("demo.loss-pct");
  const config::Size size = config.getSize("demo.size");
  config.set("server.platform", "synthetic", "demo");
  config.set("server.size", std::to_string(size.width) + "x" + std::to_string(size.height), "demo");
  const bool lossy = transport == "udp" || transport == "dtls";
  if (lossy) {
    // Receive-side loss at both ends: each direction loses |loss| percent of its datagrams.
    config.set("transport.udp.drop-pct", std::to_string(loss), "demo");
  } else if (loss > 0 && !quiet) {
    std::fprintf(stderr,
                 "demo: --loss applies to udp and dtls; %s runs without loss (use "
                 "bench/udp for kernel-level loss on TCP)\n",
                 transport.c_str());
  }

  DemoCertificate certificate;
  if ((transport == "dtls" || transport == "ssl" || transport == "wss") &&
      config.getString("transport.tls.cert").empty()) {
    std::string certError;
    if (!certificate.make(config, &certError)) {
      std::fprintf(stderr, "rdkernel demo: %s\n", certError.c_str());
      return 1;
    }
  }
  installStopSignals();
  Server server(config, registry);
  std::string error;
  if (!server.start({transport + "://127.0.0.1:0"}, &error)) {
    std::fprintf(stderr, "rdkernel demo: %s\n", error.c_str());
    return 1;
  }
  std::atomic<bool> serverStop{false};
  std::thread serverThread([&] { server.run(serverStop); });

  ClientOptions options;
  options.url = server.boundUrls().front();
  options.headless = true;
  options.snapshotPath = snapshot;
  options.seconds = static_cast<double>(config.getInt("demo.seconds"));
  // The status line once a second: refreshed in place on a terminal, one line each when stderr
  // is a file or a pipe.
  options.statusLine = !quiet;
  options.syntheticInput = true;
  if (!quiet) {
    char lossText[48];
    std::snprintf(lossText, sizeof(lossText), "%.0f%% simulated loss", loss);
    std::fprintf(stderr, "demo: synthetic %dx%d desktop served on %s, %s, %lld s\n", size.width,
                 size.height, options.url.c_str(), lossy ? lossText : "no simulated loss",
                 static_cast<long long>(config.getInt("demo.seconds")));
  }
  if (!quiet && (transport == "ws" || transport == "wss")) {
    // The same port serves the web client: a browser can watch the demo desktop too.
    const std::string& url = options.url;
    std::fprintf(stderr, "demo: open %s%s/ in a browser to watch it there too\n",
                 transport == "wss" ? "https" : "http", url.substr(url.find("://")).c_str());
  }
  Client client(config, registry, options);
  const int code = client.run(stopFlag());
  // Let the server see the disconnect, then stop it.
  usleep(200'000);
  serverStop = true;
  serverThread.join();

  const ClientSummary summary = client.summary();
  if (json) {
    std::printf("%s\n", summaryJson(summary).c_str());
  } else {
    printClientSummary(stdout, summary);
    printServerSummary(stdout, server.summary());
  }
  if (summary.draws == 0) {
    std::fprintf(stderr, "rdkernel demo: no picture arrived (%s)\n", summary.endReason.c_str());
    return 1;
  }
  return code;
}

}  // namespace rdk::cli
