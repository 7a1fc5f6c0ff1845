// What every session of one server shares: configuration, plugins, the desktop, and the
// per-bind authentication.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rdk/kernel/plugin_objects.h"
#include "rdk/session/admission_control.h"
#include "rdk/session/auth_throttle.h"
#include "rdk/session/auth_worker.h"
#include "rdk/session/bind_spec.h"
#include "rdk/session/desktop.h"
#include "rdk/session/encode_pool.h"
#include "rdk/session/encoded_picture_cache.h"
#include "rdk/session/refusal_counters.h"

namespace rdk::config {
class Config;
}
namespace rdk::plugin {
class Registry;
struct LoadedPlugin;
}  // namespace rdk::plugin

namespace rdk::audio {
class OpusSource;
}

namespace rdk::session {

class ServerSession;

/// One listening address and how its clients authenticate.
struct Binding {
  BindSpec spec;
  std::string boundUrl;
  /// The auth plugin of this bind, null for "none". Each connection gets its own authenticator:
  /// a challenge belongs to one connection.
  plugin::LoadedPlugin* authPlugin = nullptr;
  class Server* server = nullptr;
  /// From the transport's manifest ("secure", "droppable"), so the session never reasons about
  /// scheme names: whether a password may travel with a weak digest, and which key-frame
  /// interval suits a link that may drop video frames.
  bool transportSecure = false;
  bool transportDroppable = false;
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
  /// What was turned away and why (any thread), for /metrics.
  RefusalCounters& refusals;
  /// Authenticated sessions now (loop thread), against server.max-clients.
  size_t activeClients = 0;
  /// Still-picture encodes shared by the sessions (server.shared-encoding), null when off.
  EncodedPictureCache* sharedEncoding = nullptr;
  /// Where captures are encoded and sent, off the loop (server.encode-threads).
  EncodePool* encodePool = nullptr;
  /// Every session of the server (loop thread), for requests that act on the others (detach).
  const std::vector<std::unique_ptr<ServerSession>>* sessions = nullptr;
  /// A client's stop request (loop thread): the server lets the disconnects out, then ends.
  bool shutdownRequested = false;
  /// Every active session's streamer by session id, so that `info` from any connection shows
  /// each window's encoding policy (loop thread only).
  std::map<uint64_t, const class WindowStreamer*> streamers;
  /// The desktop's clipboard and its client (clipboard.*), null when the server has none.
  class ServerClipboard* clipboard = nullptr;
  /// The session's captured sound (server.sound), null when off or when it failed to start.
  audio::OpusSource* sound = nullptr;
};

}  // namespace rdk::session
