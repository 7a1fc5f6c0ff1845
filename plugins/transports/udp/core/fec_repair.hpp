// Which lost fragments of a Reed-Solomon group the sender resends: only as many as the parities
// cannot rebuild. A group of k fragments and m parities arrives whole when the receiver holds any
// k of its k + m shards, so when L of them are lost (data and parity datagrams alike, as the acks
// tell) it needs max(0, L - m) resends, not the L' lost data fragments the plain loss path would
// resend. Lost data fragments are parked here; the tracker hands back as many as are needed, as
// soon as the losses exceed m (before every shard's fate is known).
//
// Why a fallback: a group's last datagrams (often its parities) are never declared lost when
// nothing after them is acknowledged, and the receiver rebuilds only from parities it stored and
// says so in a DELIVERED frame (Reed-Solomon peers only) that may be lost. A group whose parked
// fragments are still there a repair timeout after its last loss counts its datagrams of unknown
// fate as lost and resends what that needs; a timeout later, everything parked (what the plain
// loss path did at once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "send_buffer.hpp"

namespace rdk::udp {

class RepairTracker {
 public:
  /// Groups tracked at most; the oldest beyond it gives its parked fragments back.
  static constexpr size_t kMaxGroups = 4096;
  /// A group still unresolved after this long gives its parked fragments back and is forgotten.
  static constexpr uint64_t kMaxAgeUs = 10000000;

  /// The encoder closed |group| (|k| fragments) with |m| parities (0: none, its lost fragments are
  /// resent as they are found lost). Parity reports of a group come after this.
  void onClosed(uint64_t group, size_t k, size_t m, uint64_t nowUs);
  /// A data fragment (first send, |c.group| set) arrived.
  void onDataArrived(const Chunk& c, uint64_t nowUs);
  /// A data fragment (first send) was lost: parked until it is known to be needed. |timeoutUs|:
  /// the repair timeout (the fallback above).
  void onDataLost(const Chunk& c, uint64_t nowUs, uint64_t timeoutUs);
  /// A parity datagram of |group| arrived / was lost (or never left).
  void onParityArrived(uint64_t group);
  void onParityLost(uint64_t group, uint64_t nowUs, uint64_t timeoutUs);
  /// Appends the parked fragments to resend now to |out|; forgets finished groups.
  void poll(uint64_t nowUs, std::vector<Chunk>& out);
  /// The earliest fallback deadline of a group with parked fragments (UINT64_MAX: none).
  uint64_t nextDeadlineUs() const;
  size_t groups() const { return groups_.size(); }
  /// Lost data fragments never resent: their message finished (rebuilt from parity, DELIVERED)
  /// while they were parked.
  uint64_t spared() const { return spared_; }

 private:
  struct Group {
    std::shared_ptr<OutMessage> msg;  // from its first data report
    bool closed = false;
    size_t k = 0, m = 0;
    uint32_t arrived = 0, lost = 0;  // datagrams of the group (data and parity) by fate
    uint32_t released = 0;           // parked fragments handed back for resending
    std::vector<Chunk> parked;
    uint64_t deadlineUs = 0;  // fallback: the unknown count as lost from then on
    uint64_t timeoutUs = 0;
    bool escalated = false;  // past the first deadline: the next resends everything parked
    uint64_t createdUs = 0;
  };
  Group& at(uint64_t group, uint64_t nowUs);
  static void lost(Group& g, uint64_t nowUs, uint64_t timeoutUs);
  void releaseAll(Group& g, std::vector<Chunk>& out);

  std::map<uint64_t, Group> groups_;  // by id: ids grow, so the oldest come first
  std::vector<Chunk> evicted_;        // parked fragments of groups evicted by the bound
  uint64_t spared_ = 0;
};

}  // namespace rdk::udp
