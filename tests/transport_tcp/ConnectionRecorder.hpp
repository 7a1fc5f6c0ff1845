// Records what a transport connection reports through rdk_connection_callbacks, for tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"

namespace rdk::test {

class ConnectionRecorder {
 public:
  ConnectionRecorder() {
    cb_.struct_size = sizeof(cb_);
    cb_.host_conn = this;
    cb_.on_data = [](void* h, const uint8_t* d, size_t n, int eom) {
      auto* self = static_cast<ConnectionRecorder*>(h);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->bytes_.insert(self->bytes_.end(), d, d + n);
      if (eom)
        self->messages_.emplace_back(d, d + n);
      self->cv_.notify_all();
    };
    cb_.on_closed = [](void* h, rdk_status why, const char* reason) {
      auto* self = static_cast<ConnectionRecorder*>(h);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->closedCount_++;
      self->closedStatus_ = why;
      self->closedReason_ = reason ? reason : "";
      self->cv_.notify_all();
    };
    cb_.on_lost = [](void* h, uint64_t id, int superseded) {
      auto* self = static_cast<ConnectionRecorder*>(h);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->lost_.push_back({id, superseded != 0});
      self->cv_.notify_all();
    };
  }
  const rdk_connection_callbacks* callbacks() const { return &cb_; }

  template <class Pred>
  bool waitFor(Pred pred, int timeoutMs = 5000) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return pred(*this); });
  }
  size_t byteCount() const { return bytes_.size(); }
  bool closed() const { return closedCount_ > 0; }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<uint8_t> bytes_;
  std::vector<std::vector<uint8_t>> messages_;
  struct Lost {
    uint64_t id;
    bool superseded;
  };
  std::vector<Lost> lost_;
  int closedCount_ = 0;
  rdk_status closedStatus_ = RDK_OK;
  std::string closedReason_;

 private:
  rdk_connection_callbacks cb_{};
};

}  // namespace rdk::test
