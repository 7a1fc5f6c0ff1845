// Copies of small reliable messages (input, acks, cursor moves: up to kMaxMessageBytes) that ride
// in the datagrams going out anyway (acks, data, pings) until the message is acknowledged. A spaced
// copy (spaced_copies.hpp) leaves at a fixed time and is lost with the first send when a loss run
// outlasts the spacing; the message then waits until the loss shows in the acks, a round trip
// after the run ends, and is resent. A rider is in the first datagram that gets through after the
// run, whatever the run's length in time or in datagrams; where none comes for a quarter of the
// round trip after a ride fell due, it goes in one of its own (as a resend timer would). The price
// is the rides of a message the peer already holds, until its ack comes back: a few tens of bytes a
// round trip per message, and only where loss was measured (or the message is overdue).
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
  /// Rides of one message: with the gaps below, the last leaves ~8 g + 15 ms after it (about two
  /// round trips at 20 ms one way), by which time a loss detected from the acks has resent it.
  static constexpr uint32_t kMaxRides = 12;
  /// Messages followed at once; beyond it the oldest stop riding.
  static constexpr size_t kMaxTracked = 64;
  /// The k-th ride keeps min(kMinGapUs 2^k, g) from the copy before it: the first ones follow
  /// closely (the run may be short), the later ones thin out to g (a busy sender would otherwise
  /// spend all twelve within one burst). Closer than 1 ms, copies share the fate of any burst.
  static constexpr uint64_t kMinGapUs = 1000;

  /// g: a quarter of the round trip (2-25 ms), as the spacing of SpacedCopies.
  static uint64_t gapUs(uint64_t srttUs);
  /// Whether |c| is a whole small reliable message, the kind that rides.
  static bool wants(const Chunk& c);
  /// |c| was sent (first send or resend) at |nowUs|. Already riding: nothing changes.
  void track(const Chunk& c, uint64_t nowUs, uint64_t srttUs);
  /// The riders that may go at |nowUs| and fit in |room| bytes of a datagram (each costs its
  /// length plus |fragmentOverhead|); finished and spent ones are forgotten on the way, and one
  /// whose resend is queued waits (the resend carries it). A rider may go its gap (above) after
  /// its last copy, and not before it is |afterUs| old: 0 where loss was measured, else the time
  /// its ack should have come by (a message whose first send was lost then rides without waiting
  /// for the session's probe timeout, which any ack resets).
  std::vector<Chunk> take(uint64_t nowUs, size_t room, size_t fragmentOverhead,
                          uint64_t afterUs = 0);
  /// When a rider that found no datagram to ride in goes in one of its own (UINT64_MAX: none):
  /// g after its next ride fell due (g later still where it was not yet |afterUs| old). Not at
  /// the ride's own time: a datagram of its own each time a ride falls due would double a sparse
  /// sender's datagrams.
  uint64_t nextOwnDatagramUs(uint64_t afterUs = 0) const;
  size_t tracked() const { return riders_.size(); }

 private:
  struct Rider {
    Chunk chunk;
    uint64_t firstUs;
    uint64_t lastUs;
    uint64_t gapUs;
    uint32_t rides;
  };
  static uint64_t rideGapUs(const Rider& r);
  std::deque<Rider> riders_;
};

}  // namespace rdk::udp
