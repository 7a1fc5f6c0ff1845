#include "udp_options.hpp"

#include "wire.hpp"

#include <cstdlib>
#include <stdexcept>

#include "rdk/json.hpp"

namespace rdk::udp {

namespace {

// |o| is null when there were no options.
double number(const rdk::json::Value* o, const std::string& key, double fallback, double lo,
              double hi) {
  if (!o || !o->has(key))
    return fallback;
  double v;
  try {
    v = o->at(key).asNumber();
  } catch (const rdk::json::TypeError&) {
    throw std::invalid_argument("option " + key + " must be a number");
  }
  if (!(v >= lo && v <= hi))
    throw std::invalid_argument("option " + key + " out of range");
  return v;
}

bool boolean(const rdk::json::Value* o, const std::string& key, bool fallback) {
  if (!o || !o->has(key))
    return fallback;
  try {
    return o->at(key).asFlag();
  } catch (const rdk::json::TypeError&) {
    throw std::invalid_argument("option " + key + " must be true or false");
  }
}

void parseImpairment(const rdk::json::Value* o, const std::string& lossKey, ImpairmentConfig& c,
                     bool withTiming) {
  c.lossPct = number(o, lossKey, c.lossPct, 0, 100);
  if (o && o->has(lossKey == "drop_pct" ? "burst" : "send_burst")) {
    const rdk::json::Value* b = o->find(lossKey == "drop_pct" ? "burst" : "send_burst");
    if (!b->isObject())
      throw std::invalid_argument("option burst must be an object {p, r}");
    c.burstP = number(b, "p", 0, 0, 1);
    c.burstR = number(b, "r", 1, 0, 1);
  }
  if (!withTiming)
    return;
  c.delayUs = static_cast<uint64_t>(number(o, "delay_ms", 0, 0, 10000) * 1000);
  c.jitterUs = static_cast<uint64_t>(number(o, "jitter_ms", 0, 0, 10000) * 1000);
  c.reorderPct = number(o, "reorder_pct", 0, 0, 100);
  c.duplicatePct = number(o, "duplicate_pct", 0, 0, 100);
}

}  // namespace

UdpOptions parseUdpOptions(const std::string& json) {
  UdpOptions u;
  rdk::json::Value document;
  const rdk::json::Value* o = nullptr;
  if (!json.empty()) {
    try {
      document = rdk::json::Value::parse(json);
    } catch (const rdk::json::ParseError& e) {
      throw std::invalid_argument(std::string("transport options are not a JSON object: ") +
                                  e.what());
    }
    if (!document.isObject())
      throw std::invalid_argument("transport options are not a JSON object");
    o = &document;
  }
  u.mtu = static_cast<size_t>(number(o, "mtu", static_cast<double>(u.mtu), 576, 65507));
  u.maxMtu =
      static_cast<size_t>(number(o, "max_mtu", static_cast<double>(std::max(u.maxMtu, u.mtu)),
                                 static_cast<double>(u.mtu), 65507));
  u.minMtu = std::min(u.minMtu, u.mtu);
  u.probeMtu = boolean(o, "probe_mtu", u.probeMtu);
  u.sendBufferBytes = static_cast<size_t>(
      number(o, "send_buffer_bytes", static_cast<double>(u.sendBufferBytes), 65536, 1u << 30));
  u.receiveBufferBytes = static_cast<size_t>(number(
      o, "receive_buffer_bytes", static_cast<double>(u.receiveBufferBytes), 1u << 20, 1u << 30));
  u.receiveBufferUntrustedBytes = static_cast<size_t>(
      number(o, "receive_buffer_untrusted_bytes",
             static_cast<double>(u.receiveBufferUntrustedBytes), 16u << 10, 1u << 30));
  u.receiveBufferTotalBytes = static_cast<size_t>(
      number(o, "receive_buffer_total_bytes", static_cast<double>(u.receiveBufferTotalBytes),
             32u << 20, 64.0 * (1ull << 30)));
  u.receiveBufferUntrustedTotalBytes = static_cast<size_t>(number(
      o, "receive_buffer_untrusted_total_bytes",
      static_cast<double>(u.receiveBufferUntrustedTotalBytes), 1u << 20, 64.0 * (1ull << 30)));
  u.idleTimeoutUs = static_cast<uint64_t>(number(o, "idle_timeout_s", 60, 0.2, 86400) * 1e6);
  u.maxAckDelayUs = static_cast<uint64_t>(number(o, "max_ack_delay_ms", 20, 0, 500) * 1000);
  u.maxPtoUs = static_cast<uint64_t>(number(o, "max_rto_ms", 1000, 50, 60000) * 1000);
  u.droppableDeadlineUs =
      static_cast<uint64_t>(number(o, "droppable_deadline_ms", 0, 0, 60000) * 1000);
  u.connectTimeoutUs =
      static_cast<uint64_t>(number(o, "connect_timeout_ms", 10000, 10, 600000) * 1000);
  u.allowRoaming = boolean(o, "allow_roaming", u.allowRoaming);
  u.fecGroup = static_cast<int>(number(o, "fec_group", 0, -1, double(kMaxParitySlots)));
  u.fecParity = static_cast<int>(number(o, "fec_parity", 0, -1, double(kMaxFecParities)));
  u.fecRepairRttUs = static_cast<uint64_t>(number(o, "fec_repair_rtt_ms", 10, 0, 10000) * 1000);
  u.fecMaxParityShare = number(o, "fec_max_parity_pct", 0, 0, 100) / 100.0;
  u.smallMessageCopies = boolean(o, "small_message_copies", u.smallMessageCopies);
  u.tailProbes = boolean(o, "tail_probes", u.tailProbes);
  u.smallMessageRides = boolean(o, "small_message_rides", u.smallMessageRides);
  u.batchIo = boolean(o, "batch_io", u.batchIo);
  u.gso = boolean(o, "gso", u.gso);
  u.gro = boolean(o, "gro", u.gro);
  u.controller.initialRate =
      static_cast<uint64_t>(number(o, "initial_rate_kbps", 20000, 100, 1e8) * 125);
  u.controller.maxRate = static_cast<uint64_t>(number(o, "max_rate_kbps", 2e7, 100, 1e9) * 125);
  // Receive side: drop_pct / burst (like XPRA_UDP_DROP_PCT); send side: send_loss_pct and the
  // timing impairments, so delay is added once per direction by the sender.
  parseImpairment(o, "drop_pct", u.receiveImpairment, false);
  // Blackouts on the receive side: both ends configured alike black out both directions.
  u.receiveImpairment.blackoutEveryUs =
      static_cast<uint64_t>(number(o, "blackout_every_s", 0, 0, 86400) * 1e6);
  u.receiveImpairment.blackoutUs =
      static_cast<uint64_t>(number(o, "blackout_ms", 0, 0, 600000) * 1000);
  if (u.receiveImpairment.blackouts() &&
      u.receiveImpairment.blackoutUs >= u.receiveImpairment.blackoutEveryUs)
    throw std::invalid_argument("option blackout_ms must be shorter than blackout_every_s");
  // The kernel passes drop_pct from its config (0 by default): the environment variable applies
  // whenever the options ask for no receive loss, so `RDK_UDP_DROP_PCT=30 rdkernel ...` works.
  if (u.receiveImpairment.lossPct == 0) {
    if (const char* env = std::getenv("RDK_UDP_DROP_PCT")) {
      char* end = nullptr;
      const double v = std::strtod(env, &end);
      if (end == env || v < 0 || v > 100)
        throw std::invalid_argument("RDK_UDP_DROP_PCT must be 0..100");
      u.receiveImpairment.lossPct = v;
    }
  }
  parseImpairment(o, "send_loss_pct", u.sendImpairment, true);
  u.sendImpairment.dropFirst = static_cast<uint32_t>(number(o, "drop_first", 0, 0, 1000));
  u.impairmentSeed = static_cast<uint64_t>(number(o, "seed", 0, 0, 1e15));
  return u;
}

}  // namespace rdk::udp
