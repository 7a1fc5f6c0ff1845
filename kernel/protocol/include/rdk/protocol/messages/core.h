// Core packets (reference §5 "Core"): hello, challenge, disconnect, ping, ping_echo,
// set_deflate, startup-complete. Each: kType, toPacket(), fromPacket() (throws ProtocolError
// naming the bad field).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/protocol/record.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {

struct Hello {
  static constexpr std::string_view kType = "hello";
  Value::Dict caps;
  Packet toPacket() const;
  static Hello fromPacket(const Packet& p);
  bool operator==(const Hello&) const = default;
};

// Server -> client: ["challenge", salt, auth_caps, digest, salt_digest, prompt].
struct Challenge {
  static constexpr std::string_view kType = "challenge";
  std::string salt;
  Value::Dict authCaps;  // cipher caps; sent as "" when empty, as Xpra does
  std::string digest = "hmac";
  std::string saltDigest = "xor";
  std::string prompt = "password";
  Packet toPacket() const;
  static Challenge fromPacket(const Packet& p);
  bool operator==(const Challenge&) const = default;
};

// Xpra 3.1.3's disconnect reasons (xpra/util.py).
namespace disconnect_reason {
inline constexpr std::string_view kClientPingTimeout = "client ping timeout";
inline constexpr std::string_view kLoginTimeout = "login timeout";
inline constexpr std::string_view kClientExitTimeout = "client exit timeout";
inline constexpr std::string_view kProtocolError = "protocol error";
inline constexpr std::string_view kVersionError = "version error";
inline constexpr std::string_view kControlCommandError = "control command error";
inline constexpr std::string_view kAuthenticationError = "authentication error";
inline constexpr std::string_view kPermissionError = "permission error";
inline constexpr std::string_view kServerError = "server error";
inline constexpr std::string_view kSessionNotFound = "session not found error";
inline constexpr std::string_view kDone = "done";
inline constexpr std::string_view kServerExit = "server exit";
inline constexpr std::string_view kServerUpgrade = "server upgrade";
inline constexpr std::string_view kServerShutdown = "server shutdown";
inline constexpr std::string_view kClientRequest = "client request";
inline constexpr std::string_view kDetachRequest = "detach request";
inline constexpr std::string_view kNewClient = "new client";
inline constexpr std::string_view kIdleTimeout = "idle timeout";
inline constexpr std::string_view kSessionBusy = "session busy";
inline constexpr std::string_view kClientExit = "client exit";
}  // namespace disconnect_reason

// Both directions: ["disconnect", reason, *extra].
struct Disconnect {
  static constexpr std::string_view kType = "disconnect";
  std::string reason;
  std::vector<std::string> extra;
  Packet toPacket() const;
  static Disconnect fromPacket(const Packet& p);
  bool operator==(const Disconnect&) const = default;
};

// ["ping", time_ms(, wallclock_ms)]: clients send monotonic ms; servers add wall-clock ms.
struct Ping {
  static constexpr std::string_view kType = "ping";
  int64_t timeMs = 0;
  std::optional<int64_t> wallclockMs;
  Packet toPacket() const;
  static Ping fromPacket(const Packet& p);
  bool operator==(const Ping&) const = default;
};

// ["ping_echo", echoed_time, load1*1000, load5*1000, load15*1000, latency_ms, sid].
struct PingEcho {
  static constexpr std::string_view kType = "ping_echo";
  int64_t echoedTimeMs = 0;
  int64_t load1 = 0;  // load average x 1000
  int64_t load5 = 0;
  int64_t load15 = 0;
  int64_t latencyMs = -1;  // the sender's own measured latency, -1 = unknown
  std::string sid;
  Packet toPacket() const;
  static PingEcho fromPacket(const Packet& p);
  bool operator==(const PingEcho&) const = default;
};

struct SetDeflate {
  static constexpr std::string_view kType = "set_deflate";
  int64_t level = 0;
  Packet toPacket() const;
  static SetDeflate fromPacket(const Packet& p);
  bool operator==(const SetDeflate&) const = default;
};

struct StartupComplete {
  static constexpr std::string_view kType = "startup-complete";
  Packet toPacket() const;
  static StartupComplete fromPacket(const Packet& p);
  bool operator==(const StartupComplete&) const = default;
};

// Client -> server: ["info-request", [uuids], [wids], [categories]].
struct InfoRequest {
  static constexpr std::string_view kType = "info-request";
  std::vector<std::string> uuids;
  std::vector<int64_t> wids;
  std::vector<std::string> categories;
  Packet toPacket() const;
  static InfoRequest fromPacket(const Packet& p);
  bool operator==(const InfoRequest&) const = default;
};

struct InfoResponse {
  static constexpr std::string_view kType = "info-response";
  Value::Dict info;
  Packet toPacket() const;
  static InfoResponse fromPacket(const Packet& p);
  bool operator==(const InfoResponse&) const = default;
};

// Server -> client: [setting, value]: a server setting changed after the hello (Xpra's
// "setting-change"; value is whatever the setting holds).
struct SettingChange {
  static constexpr std::string_view kType = "setting-change";
  std::string setting;
  Value value;
  Packet toPacket() const;
  static SettingChange fromPacket(const Packet& p);
  bool operator==(const SettingChange&) const = default;
};

// Server -> client: [event, *args]: e.g. ["server-event", "connection-established", ...], for
// clients that asked for events ("wants_events").
struct ServerEvent {
  static constexpr std::string_view kType = "server-event";
  std::string event;
  Value::List args;
  Packet toPacket() const;
  static ServerEvent fromPacket(const Packet& p);
  bool operator==(const ServerEvent&) const = default;
};

// Pseudo-packets the network layer hands to the packet handlers (seed page "Network Protocol"):
// the connection dropped, or the stream was unparseable / refused. Never sent on the wire.
inline constexpr std::string_view kConnectionLostType = "connection-lost";
inline constexpr std::string_view kGibberishType = "gibberish";
inline constexpr std::string_view kInvalidType = "invalid";
Packet connectionLostPacket();
// ["gibberish", message] or ["invalid", message].
Packet failurePacket(const ProtocolFailure& failure);

}  // namespace rdk::protocol
