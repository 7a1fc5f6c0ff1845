// What `serve` exposes to monitoring (server.metrics-bind): a snapshot the loop publishes once a
// second, rendered in Prometheus' text exposition format (version 0.0.4). Counters are totals
// since start (finished sessions included), gauges describe now.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rdk/session/refusal_counters.h"

namespace rdk::session {

struct SessionMetrics {
  uint64_t id = 0;
  std::string peer;       // address:port, as in the logs
  std::string transport;  // the bind's scheme
  double rttMs = -1;      // median of recent pings; -1 before the first echo
  uint64_t draws = 0;
  uint64_t drawBytes = 0;
  uint64_t lost = 0;
  uint64_t encodeErrors = 0;
  uint64_t srttUs = 0;        // the transport's smoothed RTT
  uint64_t lossPermille = 0;  // the transport's measured loss
  uint64_t retransmissions = 0;
};

struct EncodingMetrics {
  uint64_t draws = 0;
  uint64_t encodeUs = 0;  // time in the encoder (draws reused from another session: none)
};

/// What a plugin turned away (a transport's cookies, budgets, malformed datagrams), by reason.
struct PluginRefusalMetric {
  std::string plugin;
  std::string reason;
  uint64_t count = 0;
};

struct ServerMetrics {
  double uptimeSeconds = 0;
  uint64_t clientsAccepted = 0;
  uint64_t clientsRefused = 0;
  uint64_t clientsEvicted = 0;
  uint64_t draws = 0;  // every session's, finished or not
  uint64_t drawBytes = 0;
  uint64_t lost = 0;
  uint64_t keyframes = 0;
  uint64_t sharedHits = 0;
  uint64_t sharedMisses = 0;
  uint64_t pendingConnections = 0;                     // not yet authenticated
  std::array<uint64_t, kRefusalReasons> refusals{};    // by Refusal
  uint64_t reloadsApplied = 0;                         // SIGHUP: configurations taken
  uint64_t reloadsRefused = 0;                         // SIGHUP: files refused (a bad line)
  std::vector<PluginRefusalMetric> pluginRefusals;     // rdk_host_api.count_refusal
  std::vector<SessionMetrics> sessions;                // authenticated, running
  std::map<std::string, EncodingMetrics> perEncoding;  // by Xpra coding name
};

/// The text /metrics answers with. Label values are escaped as the format requires.
std::string prometheusText(const ServerMetrics& metrics);

}  // namespace rdk::session
