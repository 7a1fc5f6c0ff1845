// Copies of small reliable messages (input, acks, cursor moves: up to kMaxMessageBytes) that ride
// in the datagrams going out anyway (acks, data, pings) until the message is acknowledged. A spaced
// copy (spaced_copies.hpp) leaves at a fixed time and is lost with the first send when a loss run
// outlasts the spacing; the message then waits until the loss shows in the acks, a round trip
// after the run ends, and is resent. A rider is in the first datagram that gets through after the
// run, whatever the run's length in time or in datagrams; where no datagram goes for a quarter of
// the round trip, it goes in one of its own (as a resend timer would). The price is the rides of a
// message the peer already holds, until its ack comes back: a few tens of bytes a round trip per
// message, and only where loss was measured (or the message is overdue).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "send_buffer.hpp"

namespace rdk::udp {

class RideAlong {
 public:
  /// Messages up to this size ride (whole; larger ones would crowd the datagrams they ride in).
  static constexpr size_t kMaxMessageBytes = 256;
  /// Riders' bytes in one datagram, fragment headers included.
  static constexpr size_t kMaxBytesPerDatagram = 320;
  /// Rides of one first send: the last leaves 2^(kMaxRides-1) g after it (32 g = 4 srtt), by
  /// which time a loss detected from the acks has resent it anyway.
  static constexpr uint32_t kMaxRides = 12;
  /// Messages followed at once; beyond it the oldest stop riding.
  static constexpr size_t kMaxTracked = 64;
  /// Two copies closer than this share the fate of one burst on any link.
  static constexpr uint64_t kMinGapUs = 1000;

  /// The base gap g: an eighth of the round trip, at least 1 ms.
  static uint64_t gapUs(uint64_t srttUs);
  /// Whether |c| is a whole small reliable message, the kind that rides.
  static bool wants(const Chunk& c);
  /// |c| was sent (first send or resend) at |nowUs|. Already riding: nothing changes.
  void track(const Chunk& c, uint64_t nowUs, uint64_t srttUs);
  /// The riders that may go at |nowUs| and fit in |room| bytes of a datagram (each costs its
  /// length plus |fragmentOverhead|); finished and spent ones are forgotten on the way. A rider
  /// may go kMinGapUs after its last copy, and not before it is |afterUs| old: 0 where loss was
  /// measured, else the time its ack should have come by (a message whose first send was lost
  /// then rides without waiting for the session's probe timeout, which any ack resets).
  std::vector<Chunk> take(uint64_t nowUs, size_t room, size_t fragmentOverhead,
                          uint64_t afterUs = 0);
  /// When a rider that found no datagram to ride in goes in one of its own (UINT64_MAX: none):
  /// g after its last copy, and not before it is |afterUs| old.
  uint64_t nextOwnDatagramUs(uint64_t afterUs = 0) const;
  size_t tracked() const { return riders_.size(); }
  void clear() { riders_.clear(); }

 private:
  struct Rider {
    Chunk chunk;
    uint64_t firstUs;
    uint64_t lastUs;
    uint64_t gapUs;
    uint32_t rides;
  };
  std::deque<Rider> riders_;
};

}  // namespace rdk::udp
