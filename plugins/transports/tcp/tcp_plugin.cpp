// The tcp transport plugin: tcp://host:port (and unix:///path) to bind and to connect.
#include <memory>
#include <mutex>

#include "event_loop.hpp"
#include "rdk/plugin.hpp"
#include "rdk_plugin_manifest.h"
#include "tcp_listener.hpp"
#include "tcp_options.hpp"
#include "unix_socket.hpp"

namespace rdk::tcp {

class TcpPlugin : public Plugin {
 public:
  explicit TcpPlugin(const Host& host) : Plugin(host) {}

  std::unique_ptr<Listener> listen(const std::string& url, const std::string& options,
                                   const rdk_listener_callbacks& callbacks) override {
    if (isUnix(url))
      return unixListen(loop(), url, parseTcpOptions(options), callbacks);
    return std::make_unique<TcpListener>(loop(), url, parseTcpOptions(options), callbacks);
  }
  std::unique_ptr<Connection> connect(const std::string& url, const std::string& options,
                                      const rdk_connection_callbacks& callbacks) override {
    if (isUnix(url))
      return unixConnect(loop(), url, parseTcpOptions(options), callbacks);
    return tcpConnect(loop(), url, parseTcpOptions(options), callbacks);
  }

 private:
  static bool isUnix(const std::string& url) { return url.rfind("unix://", 0) == 0; }
  // Started on first use so that merely loading the plugin creates no thread.
  EventLoop& loop() {
    std::call_once(loopOnce_, [this] { loop_ = std::make_unique<EventLoop>(); });
    return *loop_;
  }
  std::once_flag loopOnce_;
  std::unique_ptr<EventLoop> loop_;
};

}  // namespace rdk::tcp

RDK_DEFINE_PLUGIN(rdk::tcp::TcpPlugin)
