#include "ride_along.hpp"

#include "spaced_copies.hpp"

#include <algorithm>

namespace rdk::udp {

uint64_t RideAlong::gapUs(uint64_t srttUs) {
  return SpacedCopies::spacingUs(srttUs);
}

bool RideAlong::wants(const Chunk& c) {
  return c.msg && c.msg->cls == MessageClass::kReliable && c.offset == 0 &&
         c.length == c.msg->data.size() && c.length > 0 && c.length <= kMaxMessageBytes;
}

uint64_t RideAlong::rideGapUs(const Rider& r) {
  return std::min<uint64_t>(kMinGapUs << std::min<uint32_t>(r.rides, 20), r.gapUs);
}

void RideAlong::track(const Chunk& c, uint64_t nowUs, uint64_t srttUs) {
  for (const auto& r : riders_) {
    if (r.chunk.msg == c.msg)
      return;
  }
  if (riders_.size() >= kMaxTracked)
    riders_.pop_front();
  Chunk copy = c;
  copy.resend = true;
  riders_.push_back(Rider{std::move(copy), nowUs, nowUs, gapUs(srttUs), 0});
}

std::vector<Chunk> RideAlong::take(uint64_t nowUs, size_t room, size_t fragmentOverhead,
                                   uint64_t afterUs) {
  std::vector<Chunk> out;
  size_t used = 0;
  for (auto it = riders_.begin(); it != riders_.end();) {
    if (it->chunk.msg->finished || it->rides >= kMaxRides) {
      it = riders_.erase(it);
      continue;
    }
    const size_t cost = it->chunk.length + fragmentOverhead;
    if (it->chunk.msg->pending.empty() && it->lastUs + rideGapUs(*it) <= nowUs &&
        it->firstUs + afterUs <= nowUs && used + cost <= std::min(room, kMaxBytesPerDatagram)) {
      used += cost;
      out.push_back(it->chunk);
      it->rides++;
      it->lastUs = nowUs;
    }
    ++it;
  }
  return out;
}

uint64_t RideAlong::nextOwnDatagramUs(uint64_t afterUs) const {
  uint64_t t = UINT64_MAX;
  for (const auto& r : riders_) {
    if (!r.chunk.msg->finished && r.rides < kMaxRides && r.chunk.msg->pending.empty())
      t = std::min(t, std::max(r.lastUs + rideGapUs(r), r.firstUs + afterUs) + r.gapUs);
  }
  return t;
}

}  // namespace rdk::udp
