#include "salt_cache.h"

#include <openssl/sha.h>

#include <algorithm>

namespace rdk::auth {

SaltCache::Key SaltCache::fingerprint(ByteView salt) {
  std::array<uint8_t, SHA256_DIGEST_LENGTH> hash{};
  SHA256(salt.data(), salt.size(), hash.data());
  Key key{};
  std::copy_n(hash.begin(), key.size(), key.begin());
  return key;
}

bool SaltCache::insertIfNew(ByteView combinedSalt) {
  const Key key = fingerprint(combinedSalt);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!seen_.insert(key).second)
    return false;
  order_.push_back(key);
  while (order_.size() > capacity_) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

size_t SaltCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return order_.size();
}

}  // namespace rdk::auth
