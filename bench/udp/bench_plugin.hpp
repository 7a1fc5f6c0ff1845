// dlopens one transport plugin with a minimal host, as the kernel would.
#pragma once

#include <dlfcn.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>

#include "rdk/plugin_abi.h"

namespace rdk::bench {

class BenchPlugin {
 public:
  BenchPlugin(const std::string& dir, const std::string& name) {
    api_.struct_size = sizeof(api_);
    api_.abi_major = RDK_PLUGIN_ABI_MAJOR;
    api_.abi_minor = RDK_PLUGIN_ABI_MINOR;
    api_.ctx = reinterpret_cast<rdk_host_ctx*>(this);
    api_.log = [](rdk_host_ctx*, rdk_log_level, const char*) {};
    api_.set_error = [](rdk_host_ctx* ctx, const char* msg) {
      auto* self = reinterpret_cast<BenchPlugin*>(ctx);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->error_ = msg ? msg : "";
    };
    api_.config_get = [](rdk_host_ctx*, const char*) -> const char* { return nullptr; };
    api_.now_us = [](rdk_host_ctx*) -> uint64_t {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now().time_since_epoch())
                                       .count());
    };
    const std::string path = dir + "/rdk-" + name + ".so";
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<rdk_plugin_entry_fn>(dlsym(handle, RDK_PLUGIN_ENTRY_SYMBOL));
    if (!entry)
      throw std::runtime_error("no entry symbol in " + path);
    desc_ = entry();
    if (!desc_ || desc_->abi_major != RDK_PLUGIN_ABI_MAJOR || !desc_->transport) {
      throw std::runtime_error("not a transport plugin: " + path);
    }
    if (desc_->init(&api_, &state_) != RDK_OK)
      throw std::runtime_error("init failed");
  }
  const rdk_transport_vtbl* vt() const { return desc_->transport; }
  void* state() const { return state_; }
  std::string lastError() {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }

 private:
  rdk_host_api api_{};
  const rdk_plugin_descriptor* desc_ = nullptr;
  void* state_ = nullptr;
  std::mutex mutex_;
  std::string error_;
};

}  // namespace rdk::bench
