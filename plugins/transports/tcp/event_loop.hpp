// One epoll thread that owns socket readiness for many connections and listeners.
//
// Why one thread per plugin: the ABI promises callbacks "from the plugin's own I/O thread, never
// two at once for one connection"; a single loop gives that for free and scales to many clients.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rdk::tcp {

/// Something registered in the loop. Called only on the loop thread.
class IoHandler {
 public:
  virtual ~IoHandler() = default;
  virtual void onReadable() = 0;
  virtual void onWritable() = 0;
  virtual void onError() = 0;
  /// Every ~100 ms, for timeouts.
  virtual void onTick(uint64_t nowUs) = 0;
};

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void add(int fd, bool wantWrite, std::shared_ptr<IoHandler> handler);
  void setWantWrite(int fd, bool wantWrite);
  /// Unregisters |fd|. Handlers guard themselves against calls in flight (see TcpSocketState).
  void remove(int fd);
  /// Runs |fn| on the loop thread soon.
  void post(std::function<void()> fn);
  bool onLoopThread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void run();
  void wake();

  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;  // guards handlers_ and posted_
  std::map<int, std::shared_ptr<IoHandler>> handlers_;
  std::vector<std::function<void()>> posted_;
  std::thread thread_;
};

uint64_t monotonicUs();

}  // namespace rdk::tcp
