// Remembers combined salts already used, so a captured response can never be accepted again
// (Xpra's USED_SALT deque). Bounded: the oldest entries are forgotten first.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>

#include "digest.h"

namespace rdk::auth {

class SaltCache {
 public:
  explicit SaltCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Records |combinedSalt|; false when it was seen before (a replay). Thread-safe.
  bool insertIfNew(ByteView combinedSalt);
  size_t size() const;

 private:
  // A 128-bit fingerprint per salt keeps a large cache small (collisions are negligible).
  using Key = std::array<uint8_t, 16>;
  static Key fingerprint(ByteView salt);

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::set<Key> seen_;
  std::deque<Key> order_;
};

}  // namespace rdk::auth
