// How much Reed-Solomon parity a group of droppable fragments gets: from the loss the sender
// measures, its burstiness, the round-trip time and what the message is. Pure functions, so tests
// can check the sizing without a link.
//
// A group of k fragments with m parities arrives whole when at most m of its k + m datagrams are
// lost. Losses are modelled as independent loss *events* that each take a run of |burst|
// datagrams (Gilbert-Elliott bursts: the mean run; 1 for random loss), so the group survives
// floor(m / burst) events; m is the smallest count whose failure probability is at most the
// target: 0.5% per group (an update of one or two groups then waits for repair less than 1% of
// the time, below its p99), 5% below repairRttUs. The target trades bytes against waiting for a
// repair round trip: at a short RTT the repair is cheap and parity only covers the common case;
// key frames (a lost one costs a
// new key frame) and small urgent messages (one fragment: parity is a copy) get a 10x stricter
// target, as WebRTC protects key frames more.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rdk::udp {

struct FecConditions {
  double loss = 0;   // datagram loss rate, 0..1
  double burst = 1;  // mean run of consecutive losses (>= 1)
  uint64_t srttUs = 0;
  uint64_t repairRttUs = 10000;  // below this RTT a repair round trip is cheap
  // A byte budget: parities at most this share of the group's data fragments (rounded down), 0 =
  // no budget. Sized from the loss alone, 10% loss asks for ~60% parity on a 15 kB message; a link
  // that must not cost more bytes than a repair-only protocol (SRT) caps it and repairs the rest.
  double maxParityShare = 0;
};

/// Probability that a group of |k| data and |m| parity datagrams loses more than |m|.
double groupFailure(size_t k, size_t m, double loss, double burst);

/// The per-group failure probability aimed at.
double fecTarget(const FecConditions& c, bool strong);

/// Parities for a group of |k| fragments: 0 below 0.5% loss; otherwise the smallest m meeting the
/// target, at most max(2, 0.6 k) (parity is sent outside the congestion window: bounded overhead),
/// kMaxFecParities and the budget (maxParityShare).
size_t rsParityCount(size_t k, const FecConditions& c, bool strong);

}  // namespace rdk::udp
