#include "rdk/session/encoded_picture_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iterator>
#include <new>

namespace rdk::session {

namespace {

uint32_t bytesPerPixel(uint32_t format) {
  return format == RDK_PIXEL_RGB ? 3 : 4;
}

uint64_t mix(uint64_t h, uint64_t v) {
  return (h ^ (v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2))) * 0xFF51AFD7ED558CCDull;
}

size_t entryBytes(const PictureKey& key, const plugin::EncodedPicture& picture) {
  // The payload dominates; the rest is counted so many tiny entries cannot grow without bound.
  return picture.data.size() + picture.optionsJson.size() + picture.coding.size() +
         key.encoding.size() + key.createOptions.size() + 256;
}

}  // namespace

size_t PictureKeyHash::operator()(const PictureKey& key) const {
  uint64_t h = key.pixelsLow;
  for (uint64_t v :
       {key.pixelsHigh, uint64_t{key.width} << 32 | key.height, uint64_t{key.format},
        reinterpret_cast<uint64_t>(key.encoder),
        uint64_t(uint32_t(key.quality)) << 32 | uint32_t(key.speed),
        uint64_t{key.flags} << 32 | key.bitrateKbps, std::hash<std::string>{}(key.encoding),
        std::hash<std::string>{}(key.createOptions)}) {
    h = mix(h, v);
  }
  return static_cast<size_t>(h);
}

EncodedPictureCache::EncodedPictureCache(SharedEncodingLimits limits) : limits_(limits) {}

PictureKey EncodedPictureCache::makeKey(const void* encoderTable, const std::string& encoding,
                                        const rdk_image& image, const rdk_encode_params& params,
                                        const std::string& createOptions) {
  PictureKey key;
  key.width = image.width;
  key.height = image.height;
  key.format = image.format;
  key.encoder = encoderTable;
  key.encoding = encoding;
  key.quality = params.quality;
  key.speed = params.speed;
  key.flags = params.flags;
  key.bitrateKbps = params.bitrate_kbps;
  key.createOptions = createOptions;
  // Only the pixels the encoder reads: a view into a larger frame has padding between rows.
  const size_t row = std::min<size_t>(size_t{image.width} * bytesPerPixel(image.format),
                                      image.stride ? image.stride : SIZE_MAX);
  XXH128_hash_t digest{};
  if (image.pixels && image.height > 0) {
    if (image.stride == row) {
      digest = XXH3_128bits(image.pixels, row * image.height);
    } else {
      XXH3_state_t* state = XXH3_createState();
      if (!state)
        throw std::bad_alloc();
      XXH3_128bits_reset(state);
      for (uint32_t y = 0; y < image.height; ++y)
        XXH3_128bits_update(state, image.pixels + size_t{y} * image.stride, row);
      digest = XXH3_128bits_digest(state);
      XXH3_freeState(state);
    }
  }
  key.pixelsLow = digest.low64;
  key.pixelsHigh = digest.high64;
  return key;
}

std::shared_ptr<const plugin::EncodedPicture> EncodedPictureCache::acquire(const PictureKey& key,
                                                                           uint64_t nowUs) {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto giveUpAt =
      std::chrono::steady_clock::now() + std::chrono::microseconds(limits_.maxWaitUs);
  bool waited = false;
  auto it = index_.find(key);
  while (it == index_.end() && claimed_.count(key)) {
    // Another worker is encoding this very picture right now: its result is better than a
    // second encode. Past maxWaitUs the claim passes to us (the claim holder may be stuck).
    waited = true;
    if (released_.wait_until(lock, giveUpAt) == std::cv_status::timeout)
      break;
    it = index_.find(key);
  }
  evict(nowUs, 0);
  it = index_.find(key);
  if (it == index_.end()) {
    claimed_.insert(key);
    ++stats_.misses;
    return nullptr;
  }
  if (waited)
    ++stats_.waits;
  return hit(it->second, nowUs);
}

std::shared_ptr<const plugin::EncodedPicture> EncodedPictureCache::peek(const PictureKey& key,
                                                                        uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  evict(nowUs, 0);
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : hit(it->second, nowUs);
}

std::shared_ptr<const plugin::EncodedPicture> EncodedPictureCache::hit(List::iterator it,
                                                                       uint64_t nowUs) {
  it->lastUsedUs = std::max(it->lastUsedUs, nowUs);  // age counts from the last use
  lru_.splice(lru_.begin(), lru_, it);
  ++stats_.hits;
  stats_.bytesSaved += it->picture->data.size();
  stats_.encodeUsSaved += it->encodeUs;
  return it->picture;
}

void EncodedPictureCache::insert(PictureKey key, const plugin::EncodedPicture& picture,
                                 uint64_t encodeUs, uint64_t nowUs) {
  const size_t bytes = entryBytes(key, picture);
  if (bytes > limits_.maxBytes) {
    abandon(key);  // too big to keep: whoever waits encodes it for itself
    return;
  }
  auto stored =
      std::make_shared<const plugin::EncodedPicture>(picture);  // the copy, outside the lock
  {
    std::lock_guard<std::mutex> lock(mutex_);
    claimed_.erase(key);
    if (auto existing = index_.find(key); existing != index_.end())
      erase(existing->second);
    evict(nowUs, bytes);
    lru_.push_front(Entry{std::move(key), std::move(stored), encodeUs, nowUs, bytes});
    index_.emplace(lru_.front().key, lru_.begin());
    bytes_ += bytes;
  }
  released_.notify_all();
}

void EncodedPictureCache::abandon(const PictureKey& key) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    claimed_.erase(key);
  }
  released_.notify_all();
}

void EncodedPictureCache::evict(uint64_t nowUs, size_t incoming) {
  while (!lru_.empty()) {
    const Entry& oldest = lru_.back();
    const bool expired = nowUs > oldest.lastUsedUs && nowUs - oldest.lastUsedUs > limits_.maxAgeUs;
    if (!expired && bytes_ + incoming <= limits_.maxBytes)
      break;
    erase(std::prev(lru_.end()));
    ++stats_.evictions;
  }
}

void EncodedPictureCache::erase(List::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  lru_.erase(it);
}

SharedEncodingStats EncodedPictureCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  SharedEncodingStats s = stats_;
  s.entries = lru_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace rdk::session
