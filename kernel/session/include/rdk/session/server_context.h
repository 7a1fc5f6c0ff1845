// What every session of one server shares: configuration, plugins, the desktop, and the
// per-bind authentication.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "rdk/session/admission_control.h"
#include "rdk/session/auth_throttle.h"
#include "rdk/session/auth_worker.h"
#include "rdk/session/bind_spec.h"
#include "rdk/session/desktop.h"
#include "rdk/session/encode_pool.h"
#include "rdk/session/encoded_picture_cache.h"
#include "rdk/session/plugin_objects.h"

namespace rdk::config {
class Config;
}
namespace rdk::plugin {
class Registry;
struct LoadedPlugin;
}  // namespace rdk::plugin

namespace rdk::session {

/// One listening address and how its clients authenticate.
struct Binding {
  BindSpec spec;
  std::string boundUrl;
  /// The auth plugin of this bind, null for "none". Each connection gets its own authenticator:
  /// a challenge belongs to one connection.
  plugin::LoadedPlugin* authPlugin = nullptr;
  class Server* server = nullptr;
};

struct ServerContext {
  const config::Config& config;
  plugin::Registry& registry;
  Desktop& desktop;
  std::string uuid;
  uint64_t startTimeUs = 0;
  /// Budgets of unauthenticated connections (accept threads and the loop).
  AdmissionControl& admission;
  /// Per-address back-off of authentication verdicts.
  AuthThrottle& authThrottle;
  /// Where authenticate() runs, off the loop.
  AuthWorker& authWorker;
  /// Authenticated sessions now (loop thread), against server.max-clients.
  size_t activeClients = 0;
  /// Still-picture encodes shared by the sessions (server.shared-encoding), null when off.
  EncodedPictureCache* sharedEncoding = nullptr;
  /// Where captures are encoded and sent, off the loop (server.encode-threads).
  EncodePool* encodePool = nullptr;
};

/// Monotonic microseconds (the same clock as the host API's now_us).
uint64_t monotonicUs();
/// |nowUs| - |thenUs|, or 0 when |thenUs| is later: a loop's "now" is read once per pass and can
/// be older than a time stamped during the pass (a session accepted after it), and an unsigned
/// difference would then wrap to an eternity (an instant "login timeout").
constexpr uint64_t elapsedUs(uint64_t nowUs, uint64_t thenUs) {
  return nowUs > thenUs ? nowUs - thenUs : 0;
}
/// Wall-clock milliseconds since the epoch.
uint64_t wallClockMs();

}  // namespace rdk::session
