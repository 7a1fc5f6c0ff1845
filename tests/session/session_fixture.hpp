// An in-process rdkernel server on loopback plus helpers to run clients against it.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/client.h"
#include "rdk/session/server.h"

namespace rdk::test {

/// A configuration that finds the plugins of this build tree.
inline config::Config testConfig() {
  config::Config config;
  config.set("plugins.path", RDK_TEST_PLUGIN_DIR, "test");
  config.set("logging.level", "warning", "test");
  return config;
}

inline plugin::Registry& testRegistry(const config::Config& config) {
  plugin::Registry& registry = plugin::Registry::instance();
  registry.configure(config);
  return registry;
}

class RunningServer {
 public:
  RunningServer(config::Config& config, const std::string& bindUrl)
      : server_(config, testRegistry(config)) {
    std::string error;
    if (!server_.start({bindUrl}, &error))
      throw std::runtime_error("server: " + error);
    thread_ = std::thread([this] { server_.run(stop_); });
  }
  ~RunningServer() { stop(); }
  /// Stops the loop as SIGTERM does, and waits until the server said goodbye to its clients.
  void stop() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  std::string url() const { return server_.boundUrls().front(); }
  session::Server& server() { return server_; }

 private:
  session::Server server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// Runs a headless client for |seconds| and returns its summary.
inline session::ClientSummary runClient(
    config::Config& config, const std::string& url, double seconds, bool syntheticInput = true,
    const std::string& password = "",
    std::map<uint64_t, session::ClientWindow>* windows = nullptr) {
  session::ClientOptions options;
  options.url = url;
  options.headless = true;
  options.seconds = seconds;
  options.syntheticInput = syntheticInput;
  options.password = password;
  session::Client client(config, testRegistry(config), options);
  std::atomic<bool> stop{false};
  client.run(stop);
  if (windows) {
    for (const auto& [wid, w] : client.windows()) {
      session::ClientWindow copy;
      copy.wid = w.wid;
      copy.geometry = w.geometry;
      copy.kind = w.kind;
      copy.pixels = w.pixels;
      (*windows)[wid] = std::move(copy);
    }
  }
  return client.summary();
}

}  // namespace rdk::test
