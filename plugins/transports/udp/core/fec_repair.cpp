#include "fec_repair.hpp"

#include <algorithm>

#include "elapsed.hpp"

namespace rdk::udp {

RepairTracker::Group& RepairTracker::at(uint64_t group, uint64_t nowUs) {
  auto it = groups_.find(group);
  if (it != groups_.end())
    return it->second;
  if (groups_.size() >= kMaxGroups) {
    // Bounded bookkeeping: the oldest group gives up its shortcut; its parked fragments go back
    // to the plain loss path at the next poll.
    auto oldest = groups_.begin();
    for (auto& c : oldest->second.parked)
      evicted_.push_back(std::move(c));
    groups_.erase(oldest);
  }
  Group& g = groups_[group];
  g.createdUs = nowUs;
  return g;
}

void RepairTracker::onClosed(uint64_t group, size_t k, size_t m, uint64_t nowUs) {
  Group& g = at(group, nowUs);
  g.closed = true;
  g.k = k;
  g.m = m;
}

void RepairTracker::onDataArrived(const Chunk& c, uint64_t nowUs) {
  Group& g = at(c.group, nowUs);
  if (!g.msg)
    g.msg = c.msg;
  g.arrived++;
}

void RepairTracker::lost(Group& g, uint64_t nowUs, uint64_t timeoutUs) {
  g.lost++;
  g.timeoutUs = timeoutUs;
  g.deadlineUs = std::max(g.deadlineUs, nowUs + timeoutUs);
}

void RepairTracker::onDataLost(const Chunk& c, uint64_t nowUs, uint64_t timeoutUs) {
  Group& g = at(c.group, nowUs);
  if (!g.msg)
    g.msg = c.msg;
  g.parked.push_back(c);
  lost(g, nowUs, timeoutUs);
}

void RepairTracker::onParityArrived(uint64_t group) {
  if (auto it = groups_.find(group); it != groups_.end())
    it->second.arrived++;
}

void RepairTracker::onParityLost(uint64_t group, uint64_t nowUs, uint64_t timeoutUs) {
  if (auto it = groups_.find(group); it != groups_.end())
    lost(it->second, nowUs, timeoutUs);
}

void RepairTracker::releaseAll(Group& g, std::vector<Chunk>& out) {
  for (auto& c : g.parked)
    out.push_back(std::move(c));
  g.released += static_cast<uint32_t>(g.parked.size());
  g.parked.clear();
}

void RepairTracker::poll(uint64_t nowUs, std::vector<Chunk>& out) {
  for (auto& c : evicted_)
    out.push_back(std::move(c));
  evicted_.clear();
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& g = it->second;
    if (g.msg && g.msg->finished) {
      // Delivered (the receiver rebuilt it and said so, or every byte was acked), superseded or
      // given up: nothing parked is needed any more.
      spared_ += g.parked.size();
      it = groups_.erase(it);
      continue;
    }
    const bool late = g.deadlineUs != 0 && nowUs >= g.deadlineUs;
    if (g.closed) {
      // Any k of the k + m shards rebuild the group: lost - m more are needed.
      const uint32_t needed = g.lost > g.m ? g.lost - static_cast<uint32_t>(g.m) : 0;
      while (!g.parked.empty() && (g.released < needed || g.m == 0)) {
        out.push_back(std::move(g.parked.front()));
        g.parked.erase(g.parked.begin());
        g.released++;
      }
    }
    if (late && !g.escalated && g.closed && g.arrived + g.lost < g.k + g.m && !g.parked.empty()) {
      // Unfinished a repair timeout after its last loss, with datagrams of unknown fate (a tail
      // that nothing later acknowledged): count those as lost.
      const uint32_t unknown = static_cast<uint32_t>(g.k + g.m) - g.arrived - g.lost;
      const uint32_t needed = g.lost + unknown > g.m ? g.lost + unknown - uint32_t(g.m) : 0;
      while (!g.parked.empty() && g.released < needed) {
        out.push_back(std::move(g.parked.front()));
        g.parked.erase(g.parked.begin());
        g.released++;
      }
      g.escalated = true;
      g.deadlineUs = nowUs + g.timeoutUs;
    } else if (late || elapsedUs(nowUs, g.createdUs) > kMaxAgeUs) {
      releaseAll(g, out);  // still unfinished: every parked fragment, as the plain loss path
    }
    // Kept while it may still need resends: open, members of unknown fate, or fragments parked.
    const bool resolved = g.closed && g.arrived + g.lost >= g.k + g.m;
    if (g.parked.empty() && (resolved || elapsedUs(nowUs, g.createdUs) > kMaxAgeUs))
      it = groups_.erase(it);
    else
      ++it;
  }
}

uint64_t RepairTracker::nextDeadlineUs() const {
  uint64_t t = UINT64_MAX;
  for (const auto& [id, g] : groups_)
    if (!g.parked.empty() && g.deadlineUs)
      t = std::min(t, g.deadlineUs);
  if (!evicted_.empty())
    t = 0;
  return t;
}

}  // namespace rdk::udp
