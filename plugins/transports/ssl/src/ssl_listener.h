// Accepts TCP connections for ssl://, runs each TLS handshake on its own short-lived thread (so a
// slow or silent client cannot hold up the others), and hands finished connections to the kernel
// through on_accept. Failed handshakes are logged and dropped; they never reach the kernel.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rdk/plugin.hpp"
#include "socket_util.h"
#include "ssl_options.h"
#include "tls_context.h"

namespace rdk::ssl {

class SslListener : public Listener {
 public:
  SslListener(const std::string& url, const SslOptions& options,
              const rdk_listener_callbacks& callbacks, const Host& host);
  /// Stops accepting, aborts pending handshakes and joins every thread it started.
  ~SslListener() override;
  std::string address() override { return address_; }

 private:
  struct Handshake {
    std::thread thread;
    std::atomic<bool> done{false};
    int fd = -1;           // under mutex_: -1 once the handshake thread let go of it
    bool evicted = false;  // under mutex_: shut down to make room for a newer connection
  };
  void acceptLoop();
  void handshake(int fd, std::string peer, Handshake* self);
  void reapFinishedHandshakes();
  /// Under mutex_: shuts down the oldest handshake in progress; false when none can go.
  bool evictOldestHandshake();

  const SslOptions options_;
  const rdk_listener_callbacks callbacks_;
  const Host host_;
  SslCtxPtr ctx_;
  int listenFd_ = -1;
  std::string address_;
  WakeFd stop_;  // signalled once at destruction, never drained: wakes every poller
  std::thread acceptThread_;

  std::mutex mutex_;  // guards stopping_ and handshakes_, and serialises on_accept
  bool stopping_ = false;
  std::list<std::unique_ptr<Handshake>> handshakes_;
};

}  // namespace rdk::ssl
