// Loads one built plugin directly (dlopen, no kernel) and gives its descriptor and a fake host, so
// a plugin's own behaviour can be tested without the loader (Envoy's sdk_fake idea).
#pragma once

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "rdk/plugin_abi.h"

namespace rdk::test {

/// A host that records the last error and log lines, and serves config from a map.
class FakeHost {
 public:
  FakeHost() {
    api_.struct_size = sizeof(api_);
    api_.abi_major = RDK_PLUGIN_ABI_MAJOR;
    api_.abi_minor = RDK_PLUGIN_ABI_MINOR;
    api_.ctx = reinterpret_cast<rdk_host_ctx*>(this);
    api_.log = [](rdk_host_ctx* ctx, rdk_log_level level, const char* msg) {
      auto* self = reinterpret_cast<FakeHost*>(ctx);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->log_ += std::to_string(level) + ": " + msg + "\n";
    };
    api_.set_error = [](rdk_host_ctx* ctx, const char* msg) {
      auto* self = reinterpret_cast<FakeHost*>(ctx);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->lastError_ = msg ? msg : "";
    };
    api_.config_get = [](rdk_host_ctx* ctx, const char* key) -> const char* {
      auto* self = reinterpret_cast<FakeHost*>(ctx);
      auto it = self->config_.find(key);
      return it == self->config_.end() ? nullptr : it->second.c_str();
    };
    api_.now_us = [](rdk_host_ctx*) -> uint64_t {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now().time_since_epoch())
                                       .count());
    };
  }
  const rdk_host_api* api() const { return &api_; }
  void setConfig(const std::string& key, const std::string& value) { config_[key] = value; }
  std::string lastError() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lastError_;
  }
  std::string log() {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_;
  }

 private:
  rdk_host_api api_{};
  std::map<std::string, std::string> config_;
  std::mutex mutex_;
  std::string lastError_;
  std::string log_;
};

/// dlopens RDK_TEST_PLUGIN_DIR/rdk-<name>.so, checks the ABI and runs init. Never unloaded.
class LoadedTestPlugin {
 public:
  explicit LoadedTestPlugin(const std::string& name, const std::string& dir = RDK_TEST_PLUGIN_DIR) {
    const std::string path = dir + "/rdk-" + name + ".so";
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_)
      throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<rdk_plugin_entry_fn>(dlsym(handle_, RDK_PLUGIN_ENTRY_SYMBOL));
    if (!entry)
      throw std::runtime_error("no entry symbol in " + path);
    desc_ = entry();
    if (!desc_ || desc_->abi_major != RDK_PLUGIN_ABI_MAJOR)
      throw std::runtime_error("bad descriptor in " + path);
    if (desc_->init(host_.api(), &state_) != RDK_OK)
      throw std::runtime_error("init failed: " + host_.lastError());
  }
  /// Shuts the plugin down (its state is freed: LeakSanitizer sees no leak); the library stays
  /// mapped, as the kernel leaves it.
  ~LoadedTestPlugin() {
    if (desc_ && desc_->shutdown && state_)
      desc_->shutdown(state_);
  }
  LoadedTestPlugin(const LoadedTestPlugin&) = delete;
  LoadedTestPlugin& operator=(const LoadedTestPlugin&) = delete;
  const rdk_plugin_descriptor* descriptor() const { return desc_; }
  void* state() const { return state_; }
  FakeHost& host() { return host_; }

 private:
  void* handle_ = nullptr;
  const rdk_plugin_descriptor* desc_ = nullptr;
  void* state_ = nullptr;
  FakeHost host_;
};

}  // namespace rdk::test
