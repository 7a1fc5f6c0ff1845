// Wakes a session loop when transport threads deliver something, or after a timeout.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rdk::session {

class LoopWakeup {
 public:
  /// Signals under the lock, so that once the owner has taken the lock (or destroyed the wakeup
  /// after its producers stopped) no notifier is still touching the condition variable.
  void notify() {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = true;
    cv_.notify_one();
  }
  /// Returns early when notified; consumes the notification.
  void waitFor(std::chrono::microseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [this] { return pending_; });
    pending_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool pending_ = false;
};

}  // namespace rdk::session
