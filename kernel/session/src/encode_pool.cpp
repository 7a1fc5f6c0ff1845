#include "rdk/session/encode_pool.h"

#include <algorithm>

namespace rdk::session {

EncodePool::EncodePool(size_t threads) {
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { run(); });
}

EncodePool::~EncodePool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_)
    thread.join();
}

std::shared_ptr<EncodePool::Lane> EncodePool::newLane() {
  return std::make_shared<Lane>();
}

void EncodePool::post(const std::shared_ptr<Lane>& lane, std::function<void()> job) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(lane->mutex_);
    if (lane->closed_)
      return;
    lane->jobs_.push_back(std::move(job));
    if (!lane->running_ && !lane->scheduled_) {
      lane->scheduled_ = true;
      schedule = true;
    }
  }
  if (schedule) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_.push_back(lane);
    }
    cv_.notify_one();
  }
}

void EncodePool::run() {
  for (;;) {
    std::shared_ptr<Lane> lane;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
      if (stopping_)
        return;
      lane = std::move(ready_.front());
      ready_.pop_front();
    }
    std::function<void()> job;
    {
      std::lock_guard<std::mutex> lock(lane->mutex_);
      lane->scheduled_ = false;
      if (lane->jobs_.empty())
        continue;  // shut down meanwhile
      job = std::move(lane->jobs_.front());
      lane->jobs_.pop_front();
      lane->running_ = true;
    }
    // Jobs report their own failures (a plugin error is a status, not an exception); one that
    // throws anyway must not take the worker down.
    try {
      job();
    } catch (...) {
    }
    bool again = false;
    {
      std::lock_guard<std::mutex> lock(lane->mutex_);
      lane->running_ = false;
      // One job per turn: a window with a backlog does not starve the others.
      if (!lane->jobs_.empty() && !lane->closed_) {
        lane->scheduled_ = true;
        again = true;
      }
    }
    lane->idle_.notify_all();
    if (again) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.push_back(lane);
      }
      cv_.notify_one();
    }
  }
}

size_t EncodePool::Lane::queued() {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

void EncodePool::Lane::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  jobs_.clear();
}

void EncodePool::Lane::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  closed_ = true;
  jobs_.clear();
  idle_.wait(lock, [this] { return !running_; });
}

}  // namespace rdk::session
