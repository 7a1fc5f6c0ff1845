// Small helpers of the reliability-core tests: numbered messages, sending, link settings.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "impairment.hpp"
#include "session.hpp"

namespace rdk::udp::test {

inline std::vector<uint8_t> numbered(uint32_t index, size_t size) {
  std::vector<uint8_t> v(std::max<size_t>(size, 4));
  std::memcpy(v.data(), &index, 4);
  for (size_t i = 4; i < v.size(); ++i)
    v[i] = static_cast<uint8_t>(index * 31 + i);
  return v;
}
/// A chunk holding all of a new |bytes|-byte message (the send queues' unit), for queue tests.
inline Chunk wholeMessage(size_t bytes, MessageClass cls = MessageClass::kReliable) {
  auto m = std::make_shared<OutMessage>();
  m->cls = cls;
  m->data.assign(bytes, 7);
  Chunk c;
  c.msg = m;
  c.length = static_cast<uint16_t>(bytes);
  return c;
}
inline uint32_t indexOf(const std::vector<uint8_t>& v) {
  uint32_t i;
  std::memcpy(&i, v.data(), 4);
  return i;
}
inline SendResult sendTo(Session& s, const std::vector<uint8_t>& v, MessageClass cls, uint64_t key,
                         uint64_t id, uint64_t now) {
  rdk_bytes iov{v.data(), v.size()};
  return s.send(&iov, 1, cls, key, id, now);
}
inline ImpairmentConfig lossy(double pct, uint64_t delayUs = 10000) {
  ImpairmentConfig c;
  c.lossPct = pct;
  c.delayUs = delayUs;
  c.jitterUs = 2000;
  c.reorderPct = 5;
  c.duplicatePct = 5;
  return c;
}
inline uint64_t percentile(std::vector<uint64_t> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace rdk::udp::test
