// Threads that capture-and-encode off the server loop. Work is posted to a Lane (one per window
// of one session): a lane's jobs run one at a time and in order (a video stream's frames depend
// on each other, and a window's encoders are used by one thread at a time), different lanes run
// in parallel. A job that finishes hands its draw to the transport itself (PacketChannel::send is
// thread-safe), so the loop never waits for an encode.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rdk::session {

class EncodePool {
 public:
  class Lane;

  /// |threads| 0: one per core.
  explicit EncodePool(size_t threads);
  /// Lets running jobs finish; queued jobs are dropped.
  ~EncodePool();
  EncodePool(const EncodePool&) = delete;
  EncodePool& operator=(const EncodePool&) = delete;

  std::shared_ptr<Lane> newLane();
  /// Queues |job| on |lane|; dropped when the lane was shut down.
  void post(const std::shared_ptr<Lane>& lane, std::function<void()> job);
  size_t threads() const { return threads_.size(); }

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Lane>> ready_;  // lanes with work and no job running
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class EncodePool::Lane {
 public:
  /// Jobs queued and not started yet.
  size_t queued();
  /// Drops the queued jobs and takes no more; a running job finishes on its own.
  void close();
  /// Drops the queued jobs and waits for the running one: after it returns no job of this lane
  /// runs, so what the jobs used may go. Never call it from one of the lane's own jobs.
  void shutdown();

 private:
  friend class EncodePool;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  bool running_ = false;    // a worker runs one of its jobs
  bool scheduled_ = false;  // in the pool's ready queue
  bool closed_ = false;
};

}  // namespace rdk::session
