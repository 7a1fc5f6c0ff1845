// Fixtures for the TLS transport tests: certificates in a temp dir, and callback sinks that record
// what the plugin delivers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "rdk/plugin_abi.h"

namespace rdk::test {

/// Runs make_test_certs.sh once per process; the directory lives until exit.
inline const std::string& testCertDir() {
  // Heap-allocated and never freed, so the exit hook can still read it.
  static const std::string* dir = [] {
    char pattern[] = "/tmp/rdk-ssl-test-XXXXXX";
    auto* made = new std::string(mkdtemp(pattern));
    const std::string cmd = "sh " RDK_SSL_TEST_DIR "/make_test_certs.sh " + *made;
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("make_test_certs.sh failed");
    std::atexit([] { std::filesystem::remove_all(testCertDir()); });
    return made;
  }();
  return *dir;
}

/// Records one connection's callbacks.
class ConnectionSink {
 public:
  ConnectionSink() {
    callbacks_.struct_size = sizeof(callbacks_);
    callbacks_.host_conn = this;
    callbacks_.on_data = [](void* self, const uint8_t* data, size_t size, int) {
      auto* sink = static_cast<ConnectionSink*>(self);
      std::lock_guard<std::mutex> lock(sink->mutex_);
      sink->data_.append(reinterpret_cast<const char*>(data), size);
      sink->cv_.notify_all();
    };
    callbacks_.on_closed = [](void* self, rdk_status why, const char* reason) {
      auto* sink = static_cast<ConnectionSink*>(self);
      std::lock_guard<std::mutex> lock(sink->mutex_);
      sink->closedCount_++;
      sink->closedStatus_ = why;
      sink->closedReason_ = reason ? reason : "";
      sink->cv_.notify_all();
    };
  }
  const rdk_connection_callbacks* callbacks() const { return &callbacks_; }

  /// Waits until at least |bytes| arrived (or |timeout|); returns what arrived.
  std::string waitForData(size_t bytes,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return data_.size() >= bytes; });
    return data_;
  }
  bool waitForClosed(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return closedCount_ > 0; });
  }
  int closedCount() {
    std::lock_guard<std::mutex> lock(mutex_);
    return closedCount_;
  }
  std::string closedReason() {
    std::lock_guard<std::mutex> lock(mutex_);
    return closedReason_;
  }

 private:
  rdk_connection_callbacks callbacks_{};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::string data_;
  int closedCount_ = 0;
  rdk_status closedStatus_ = RDK_OK;
  std::string closedReason_;
};

/// Accepts every connection into a ConnectionSink (up to 8).
class ListenerSink {
 public:
  ListenerSink() {
    callbacks_.struct_size = sizeof(callbacks_);
    callbacks_.host_listener = this;
    callbacks_.on_accept = [](void* self, rdk_connection* conn,
                              const char* peer) -> const rdk_connection_callbacks* {
      auto* sink = static_cast<ListenerSink*>(self);
      std::lock_guard<std::mutex> lock(sink->mutex_);
      if (sink->accepted_.size() >= 8)
        return nullptr;
      sink->accepted_.push_back(conn);
      sink->peers_.push_back(peer ? peer : "");
      sink->cv_.notify_all();
      return sink->sinks_[sink->accepted_.size() - 1].callbacks();
    };
  }
  const rdk_listener_callbacks* callbacks() const { return &callbacks_; }
  rdk_connection* waitForAccept(size_t index,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return accepted_.size() > index; });
    return accepted_.size() > index ? accepted_[index] : nullptr;
  }
  size_t acceptedCount() {
    std::lock_guard<std::mutex> lock(mutex_);
    return accepted_.size();
  }
  ConnectionSink& sink(size_t index) { return sinks_[index]; }
  std::string peer(size_t index) {
    std::lock_guard<std::mutex> lock(mutex_);
    return peers_.at(index);
  }

 private:
  rdk_listener_callbacks callbacks_{};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<rdk_connection*> accepted_;
  std::vector<std::string> peers_;
  ConnectionSink sinks_[8];
};

}  // namespace rdk::test
