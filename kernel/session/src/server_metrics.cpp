#include "rdk/session/server_metrics.h"

#include <cstdio>

namespace rdk::session {

namespace {

// Backslash, double quote and newline are the characters a label value must escape; a peer
// string comes from the network side (IPv6 with a zone, a ws proxy's header) and may hold any.
std::string escapeLabel(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

class Writer {
 public:
  void family(const char* name, const char* type, const char* help) {
    text_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const char* name, double value, const std::string& labels = "") {
    text_ += name;
    if (!labels.empty())
      text_ += "{" + labels + "}";
    text_ += " " + number(value) + "\n";
  }
  void single(const char* name, const char* type, const char* help, double value) {
    family(name, type, help);
    sample(name, value);
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

std::string sessionLabels(const SessionMetrics& s) {
  return "session=\"" + std::to_string(s.id) + "\",peer=\"" + escapeLabel(s.peer) +
         "\",transport=\"" + escapeLabel(s.transport) + "\"";
}

}  // namespace

std::string prometheusText(const ServerMetrics& m) {
  Writer w;
  w.single("rdk_uptime_seconds", "gauge", "Seconds since the server started.", m.uptimeSeconds);
  w.single("rdk_clients_accepted_total", "counter", "Connections accepted.",
           double(m.clientsAccepted));
  w.single("rdk_clients_refused_total", "counter",
           "Connections refused (limits) or closed at accept.", double(m.clientsRefused));
  w.single("rdk_clients_evicted_total", "counter",
           "Idle unauthenticated connections closed to make room.", double(m.clientsEvicted));
  w.family("rdk_refusals_total", "counter",
           "What the server turned away, by reason (connections, logins, windows).");
  for (size_t i = 0; i < kRefusalReasons; ++i) {
    const char* reason = refusalName(static_cast<Refusal>(i));
    w.sample("rdk_refusals_total", double(m.refusals[i]), std::string("reason=\"") + reason + "\"");
  }
  w.family("rdk_plugin_refusals_total", "counter",
           "What plugins turned away (malformed datagrams, cookies, budgets), by plugin and "
           "reason.");
  for (const PluginRefusalMetric& r : m.pluginRefusals) {
    w.sample("rdk_plugin_refusals_total", double(r.count),
             "plugin=\"" + escapeLabel(r.plugin) + "\",reason=\"" + escapeLabel(r.reason) + "\"");
  }
  w.family("rdk_config_reloads_total", "counter",
           "Configuration reloads (SIGHUP), by result: applied, or refused for a bad file.");
  w.sample("rdk_config_reloads_total", double(m.reloadsApplied), "result=\"applied\"");
  w.sample("rdk_config_reloads_total", double(m.reloadsRefused), "result=\"refused\"");
  w.single("rdk_clients_active", "gauge", "Authenticated sessions now.", double(m.sessions.size()));
  w.single("rdk_connections_pending", "gauge", "Connections not yet authenticated.",
           double(m.pendingConnections));
  w.single("rdk_draws_total", "counter", "Draw packets sent, all sessions.", double(m.draws));
  w.single("rdk_draw_bytes_total", "counter", "Bytes of draw packets sent, all sessions.",
           double(m.drawBytes));
  w.single("rdk_draws_lost_total", "counter", "Droppable draws the transport gave up.",
           double(m.lost));
  w.single("rdk_keyframes_total", "counter", "Video key frames sent.", double(m.keyframes));
  w.single("rdk_shared_encoding_hits_total", "counter",
           "Still pictures served from another session's encode.", double(m.sharedHits));
  w.single("rdk_shared_encoding_misses_total", "counter",
           "Still pictures encoded for the shared cache.", double(m.sharedMisses));

  w.family("rdk_encoding_draws_total", "counter", "Draws sent, per encoding, all sessions.");
  for (const auto& [coding, e] : m.perEncoding)
    w.sample("rdk_encoding_draws_total", double(e.draws),
             "encoding=\"" + escapeLabel(coding) + "\"");
  w.family("rdk_encoding_encode_seconds_total", "counter",
           "Time spent in encoders, per encoding, all sessions.");
  for (const auto& [coding, e] : m.perEncoding)
    w.sample("rdk_encoding_encode_seconds_total", double(e.encodeUs) / 1e6,
             "encoding=\"" + escapeLabel(coding) + "\"");

  struct PerSession {
    const char* name;
    const char* type;
    const char* help;
    double (*value)(const SessionMetrics&);
  };
  static const PerSession kPerSession[] = {
      {"rdk_session_ping_rtt_milliseconds", "gauge",
       "Median round trip of recent pings; -1 before the first echo.",
       [](const SessionMetrics& s) { return s.rttMs; }},
      {"rdk_session_transport_srtt_microseconds", "gauge", "The transport's smoothed RTT.",
       [](const SessionMetrics& s) { return double(s.srttUs); }},
      {"rdk_session_transport_loss_ratio", "gauge", "The transport's measured loss.",
       [](const SessionMetrics& s) { return double(s.lossPermille) / 1000.0; }},
      {"rdk_session_retransmissions_total", "counter", "Retransmitted packets or fragments.",
       [](const SessionMetrics& s) { return double(s.retransmissions); }},
      {"rdk_session_draws_total", "counter", "Draw packets sent to this client.",
       [](const SessionMetrics& s) { return double(s.draws); }},
      {"rdk_session_draw_bytes_total", "counter", "Bytes of draws sent to this client.",
       [](const SessionMetrics& s) { return double(s.drawBytes); }},
      {"rdk_session_draws_lost_total", "counter", "Draws the transport gave up.",
       [](const SessionMetrics& s) { return double(s.lost); }},
      {"rdk_session_encode_errors_total", "counter", "Encodes that failed.",
       [](const SessionMetrics& s) { return double(s.encodeErrors); }},
  };
  for (const PerSession& family : kPerSession) {
    w.family(family.name, family.type, family.help);
    for (const SessionMetrics& s : m.sessions)
      w.sample(family.name, family.value(s), sessionLabels(s));
  }
  return w.take();
}

}  // namespace rdk::session
