#include "rdk/session/admission_control.h"

namespace rdk::session {

AdmissionControl::PendingList::iterator AdmissionControl::oldestIdle(
    const std::string& address, const std::function<bool(uint64_t)>& idle) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if ((address.empty() || it->address == address) && idle(it->id))
      return it;
  }
  return pending_.end();
}

AdmissionLimits AdmissionControl::limits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return limits_;
}

void AdmissionControl::setLimits(AdmissionLimits limits) {
  std::lock_guard<std::mutex> lock(mutex_);
  limits_ = limits;
}

AdmissionControl::Decision AdmissionControl::admit(uint64_t id, const std::string& address,
                                                   const std::function<bool(uint64_t)>& idle) {
  std::lock_guard<std::mutex> lock(mutex_);
  Decision decision;
  auto makeRoom = [&](const std::string& from) {
    const auto victim = oldestIdle(from, idle);
    if (victim == pending_.end())
      return false;
    decision.evict.push_back(victim->id);
    removeLocked(victim);
    return true;
  };
  if (perAddress_[address] >= limits_.maxPendingPerAddress && !makeRoom(address)) {
    decision.refusal = "too many connections from " + address + " waiting to authenticate (" +
                       std::to_string(limits_.maxPendingPerAddress) + "), try again later";
    decision.reason = Refusal::PendingPerAddress;
  } else if (pending_.size() >= limits_.maxPending && !makeRoom("")) {
    decision.refusal = "too many connections waiting to authenticate (" +
                       std::to_string(limits_.maxPending) + "), try again later";
    decision.reason = Refusal::PendingTotal;
  }
  if (!decision.refusal.empty()) {
    if (perAddress_[address] == 0)
      perAddress_.erase(address);
    return decision;
  }
  pending_.push_back({id, address});
  byId_[id] = std::prev(pending_.end());
  ++perAddress_[address];
  decision.admitted = true;
  return decision;
}

void AdmissionControl::removeLocked(PendingList::iterator it) {
  auto count = perAddress_.find(it->address);
  if (count != perAddress_.end() && --count->second == 0)
    perAddress_.erase(count);
  byId_.erase(it->id);
  pending_.erase(it);
}

void AdmissionControl::forget(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = byId_.find(id);
  if (found != byId_.end())
    removeLocked(found->second);
}

size_t AdmissionControl::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.size();
}

size_t AdmissionControl::pendingFrom(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = perAddress_.find(address);
  return found == perAddress_.end() ? 0 : found->second;
}

}  // namespace rdk::session
