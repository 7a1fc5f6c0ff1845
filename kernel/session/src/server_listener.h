// One bound address of a Server: its transport's listener and the Binding its sessions share.
#pragma once

#include <atomic>
#include <string>

#include "rdk/plugin_abi.h"
#include "rdk/session/server.h"

namespace rdk::session {

/// The budgets of unauthenticated connections and the auth back-off, from the configuration
/// (at start and after a reload).
AdmissionLimits admissionLimits(const config::Config& config);
AuthThrottleSettings throttleSettings(const config::Config& config);

struct Server::Listener {
  Server* server = nullptr;
  std::string requestedUrl;  // as configured (port 0 stays 0): what a reload compares
  Binding binding;
  const rdk_transport_vtbl* transport = nullptr;
  rdk_listener* listener = nullptr;
  rdk_listener_callbacks callbacks{};
  /// Removed from server.bind by a reload: new connections are refused; the listener goes once
  /// the sessions that came through it have ended (destroying a UDP listener would end them).
  std::atomic<bool> retired{false};
  ~Listener() {
    if (listener)
      transport->listener_destroy(listener);
  }
};

}  // namespace rdk::session
