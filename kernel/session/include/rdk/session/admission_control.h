// Who may hold a connection before authenticating. Unauthenticated connections ("pending") have
// their own budget, in total and per address, apart from the authenticated clients
// (server.max-clients), so that idle or half-open sockets never take a logged-in user's place.
// When a budget is full, the oldest pending connection that has not sent one complete packet yet
// makes room (a slowloris socket); a newcomer is refused only when every pending connection is
// live. Thread-safe: transports accept on their own threads, the loop reports the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rdk/session/refusal_counters.h"

namespace rdk::session {

struct AdmissionLimits {
  size_t maxPending = 64;
  size_t maxPendingPerAddress = 8;
};

class AdmissionControl {
 public:
  struct Decision {
    bool admitted = false;
    /// Pending connections to close to make room (already out of the budget).
    std::vector<uint64_t> evict;
    /// Why the newcomer was refused (empty when admitted), for the peer and the log.
    std::string refusal;
    /// Which budget refused it (meaningless when admitted), for the counters.
    Refusal reason = Refusal::PendingTotal;
  };

  explicit AdmissionControl(AdmissionLimits limits) : limits_(limits) {}

  /// A new connection |id| from |address| (an addressKey). |idle| tells whether a pending
  /// connection has still sent nothing; it is called with the lock held and must not block.
  Decision admit(uint64_t id, const std::string& address,
                 const std::function<bool(uint64_t)>& idle);
  /// |id| authenticated: it leaves the pending budget.
  void authenticated(uint64_t id) { forget(id); }
  /// |id| is gone (any state; unknown ids are ignored).
  void closed(uint64_t id) { forget(id); }

  size_t pending() const;
  size_t pendingFrom(const std::string& address) const;
  AdmissionLimits limits() const;
  /// New budgets (a configuration reload): connections already pending stay.
  void setLimits(AdmissionLimits limits);

 private:
  struct Pending {
    uint64_t id;
    std::string address;
  };
  using PendingList = std::list<Pending>;

  void forget(uint64_t id);
  void removeLocked(PendingList::iterator it);
  /// The oldest idle pending connection (from |address| when not empty).
  PendingList::iterator oldestIdle(const std::string& address,
                                   const std::function<bool(uint64_t)>& idle);

  mutable std::mutex mutex_;
  AdmissionLimits limits_;  // under mutex_
  PendingList pending_;     // oldest first
  std::unordered_map<uint64_t, PendingList::iterator> byId_;
  std::unordered_map<std::string, size_t> perAddress_;
};

}  // namespace rdk::session
