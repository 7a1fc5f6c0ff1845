#include "summary_printer.h"

#include <cmath>

#include "rdk/protocol/value.h"

namespace rdk::cli {

using session::ClientSummary;
using session::ServerSummary;

using protocol::Value;

namespace {
unsigned long long ull(uint64_t v) {
  return static_cast<unsigned long long>(v);
}
}  // namespace

void printClientSummary(std::FILE* out, const ClientSummary& s) {
  const rdk_transport_stats& t = s.transport;
  std::fprintf(out, "\n== session summary ==\n");
  std::fprintf(out, "%-28s %s\n", "result", s.handshakeOk ? "session established" : "no session");
  std::fprintf(out, "%-28s %s\n", "ended", s.endReason.empty() ? "-" : s.endReason.c_str());
  std::fprintf(out, "%-28s %.1f s\n", "duration", s.seconds);
  std::fprintf(out, "%-28s %zu\n", "windows at the end", s.windows);
  std::fprintf(out, "%-28s %llu (%.1f/s)\n", "draws painted", ull(s.draws), s.fps);
  for (const auto& [coding, count] : s.drawsPerEncoding) {
    std::fprintf(out, "  %-26s %llu\n", coding.c_str(), ull(count));
  }
  std::fprintf(out, "%-28s %.0f kbit/s (%llu bytes)\n", "picture data", s.bandwidthKbps,
               ull(s.drawBytes));
  std::fprintf(out, "%-28s p50 %.1f ms  p99 %.1f ms\n", "capture-to-paint latency", s.latencyP50Ms,
               s.latencyP99Ms);
  // Two different round trips, which may disagree by hundreds of ms on loopback (issue 20): a
  // ping is an application packet, sent every 2 s from the start, so it waits behind picture data
  // in both send queues, is delivered in order (a lost datagram ahead of it holds it until it is
  // repaired) and is handled on both event loops; srtt is the transport's own round trip of
  // datagram acknowledgements and sees none of that.
  std::fprintf(out, "%-28s %.1f ms p50 of %llu pings (queued behind pictures, answered by loops)\n",
               "round trip", s.rttMs, ull(s.pings.echoed));
  if (t.srtt_us > 0) {
    std::fprintf(out, "%-28s %.1f ms (the transport's datagram acknowledgements)\n",
                 "transport srtt", t.srtt_us / 1000.0);
  }
  std::fprintf(out, "%-28s %llu errors, %llu video gaps resynchronised\n", "decoding",
               ull(s.decodeErrors), ull(s.videoGaps));
  std::fprintf(out,
               "%-28s %.1f%% loss measured on what this side sent, %llu resends, %llu droppable "
               "lost, %llu superseded\n",
               "transport", t.loss_permille / 10.0, ull(t.retransmissions), ull(t.dropped_lost),
               ull(t.dropped_superseded));
  std::fprintf(out, "%-28s %llu sent / %llu received datagrams (%llu control)\n", "datagrams",
               ull(t.datagrams_sent), ull(t.datagrams_received), ull(t.control_datagrams_sent));
  std::string types;
  for (const auto& [type, count] : s.packetsPerType) {
    if (!types.empty())
      types += ", ";
    types += type + " " + std::to_string(count);
  }
  std::fprintf(out, "%-28s %s\n", "packets received", types.c_str());
  if (!s.snapshotPath.empty())
    std::fprintf(out, "%-28s %s\n", "last frame", s.snapshotPath.c_str());
}

/// A measurement to two decimals: 94.38 fps, not 94.37551869084676 (issue 20 item 10).
Value measured(double value) {
  return Value(std::round(value * 100.0) / 100.0);
}

std::string summaryJson(const ClientSummary& s) {
  Value v(Value::Dict{});
  v.set("handshake", Value(s.handshakeOk));
  v.set("end_reason", Value(s.endReason));
  v.set("seconds", measured(s.seconds));
  v.set("windows", Value(static_cast<uint64_t>(s.windows)));
  v.set("draws", Value(s.draws));
  v.set("draw_bytes", Value(s.drawBytes));
  v.set("fps", measured(s.fps));
  v.set("decode_errors", Value(s.decodeErrors));
  v.set("video_gaps", Value(s.videoGaps));
  v.set("latency_p50_ms", measured(s.latencyP50Ms));
  v.set("latency_p99_ms", measured(s.latencyP99Ms));
  v.set("rtt_ms", measured(s.rttMs));
  v.set("rtt_p99_ms", measured(s.rttP99Ms));
  v.set("pings_sent", Value(s.pings.sent));
  v.set("pings_echoed", Value(s.pings.echoed));
  v.set("pings_out_of_order", Value(s.pings.outOfOrder));
  v.set("loss_permille", Value(s.transport.loss_permille));
  v.set("retransmissions", Value(s.transport.retransmissions));
  v.set("dropped_lost", Value(s.transport.dropped_lost));
  v.set("dropped_superseded", Value(s.transport.dropped_superseded));
  Value encodings(Value::Dict{});
  for (const auto& [coding, count] : s.drawsPerEncoding)
    encodings.set(coding, Value(count));
  v.set("draws_per_encoding", encodings);
  Value types(Value::Dict{});
  for (const auto& [type, count] : s.packetsPerType)
    types.set(type, Value(count));
  v.set("packets", types);
  v.set("snapshot", Value(s.snapshotPath));
  return v.toJson();
}

void printServerSummary(std::FILE* out, const ServerSummary& s) {
  std::fprintf(out, "%-28s %llu draws, %llu bytes, %llu key frames\n", "server sent", ull(s.draws),
               ull(s.drawBytes), ull(s.keyframes));
  std::fprintf(out, "%-28s %llu lost (re-damaged %llu), %llu superseded\n", "server droppable",
               ull(s.lost), ull(s.redamaged), ull(s.superseded));
  if (s.sharedEncodingEnabled) {
    std::fprintf(out, "%-28s %llu hits, %llu misses, %llu ms of encoding saved\n",
                 "server shared encodes", ull(s.sharedEncoding.hits), ull(s.sharedEncoding.misses),
                 ull(s.sharedEncoding.encodeUsSaved / 1000));
  }
}

}  // namespace rdk::cli
