// The proxy's udp:// binds (private to kernel/proxy): the sockets and one I/O thread around a
// UdpRouter. Each client hello the router completes goes to a worker thread that finds the user
// and gets the session running (which may take seconds); its answer comes back to the I/O thread,
// which then routes or refuses. The I/O thread never blocks on a session start.
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rdk/proxy/udp_router.h"

namespace rdk::udp {
class DatagramChannel;
}

namespace rdk::proxy {

struct UdpProxyHooks {
  /// The session of the hello's user (blocking: may start it). False with |error| (told to the
  /// client) when there is none; true counts one connection of the user's.
  std::function<bool(const UdpHello& hello, std::string* user, udp::PeerAddress* session,
                     std::string* error)>
      join;
  /// A route that |join| gave ended.
  std::function<void(const std::string& user)> leave;
  /// Traffic for |user| (at most once a second per route).
  std::function<void(const std::string& user)> touch;
  std::function<void(const std::string& line)> log;
};

class UdpProxy {
 public:
  UdpProxy(UdpRouterLimits limits, UdpProxyHooks hooks);
  ~UdpProxy();
  /// Binds each udp://HOST:PORT or dtls://HOST:PORT (DTLS with the PEM |cert| and |key|);
  /// false with |error|.
  bool bind(const std::vector<std::string>& urls, const std::string& cert, const std::string& key,
            std::string* error);
  const std::vector<std::string>& boundUrls() const { return bound_; }
  void start();
  /// Ends the I/O thread and waits for the workers; every route still open is left.
  void stop();

 private:
  struct Result {
    uint64_t connId = 0;
    bool ok = false;
    std::string user, error;
    udp::PeerAddress session;
  };
  /// A plain socket (udp://) or a channel that decrypts (dtls://).
  struct Listener {
    int fd = -1;
    std::unique_ptr<udp::DatagramChannel> channel;
  };
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void loop();
  void send(std::vector<UdpSend>& out);
  void startWorker(UdpHello hello);

  UdpRouter router_;
  UdpProxyHooks hooks_;
  std::vector<Listener> listeners_;
  int upstream_ = -1;
  std::vector<std::string> bound_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex resultsMutex_;
  std::vector<Result> results_;
  std::list<Worker> workers_;
};

}  // namespace rdk::proxy
