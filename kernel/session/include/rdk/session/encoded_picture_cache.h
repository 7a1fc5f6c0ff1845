// Shared still-picture encodes (server.shared-encoding): every session captures and encodes its
// own damage, so N clients watching the same desktop with the same settings would encode the same
// pixels N times. The first session to encode a picture stores the result here; the others, in the
// same loop pass or shortly after, find it by the picture's content and the encode settings and
// only build their own draw packet (their own sequence number, supersede key, loss handling).
//
// Only stateless encoders may share: a video encoder (feature "video": an inter-frame stream whose
// output depends on the frames before) never goes through the cache; see shareable().
//
// Thread-safe: today every session encodes on the server loop, but a lookup or an insert is one
// short critical section (the hashing and the encode happen outside it), so encode workers can
// share one cache as well, and ServerSummary reads the counters from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "rdk/encoding/types.h"
#include "rdk/plugin_abi.h"
#include "rdk/session/plugin_objects.h"

namespace rdk::session {

/// Everything that decides an encoder's output for one picture.
struct PictureKey {
  // XXH3-128 of the picture's rows (width * 4 bytes each, row padding excluded). Two different
  // pictures of the same size and format share a key only on a 128-bit collision (~2^-64 for 2^32
  // pictures in the cache's lifetime), which we accept as xxHash's users do.
  uint64_t pixelsLow = 0;
  uint64_t pixelsHigh = 0;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t format = 0;
  const void* encoder = nullptr;  // the plugin's encoder table: which implementation
  std::string encoding;           // which of its encodings
  int32_t quality = 0;
  int32_t speed = 0;
  uint32_t flags = 0;  // RDK_ENCODE_*
  uint32_t bitrateKbps = 0;
  std::string createOptions;  // the JSON the encoder was created with (e.g. the client's lz4)

  bool operator==(const PictureKey&) const = default;
};

struct PictureKeyHash {
  size_t operator()(const PictureKey& key) const;
};

struct SharedEncodingStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t bytesSaved = 0;     // encoded bytes served from the cache instead of encoded again
  uint64_t encodeUsSaved = 0;  // encode time those hits would have cost
  uint64_t entries = 0;
  uint64_t bytes = 0;
  uint64_t evictions = 0;
};

struct SharedEncodingLimits {
  size_t maxBytes = 48u << 20;
  // An entry older than this is useless: the desktop has moved on, and a client that lags this
  // much gets fresh damage anyway.
  uint64_t maxAgeUs = 1'500'000;
};

class EncodedPictureCache {
 public:
  explicit EncodedPictureCache(SharedEncodingLimits limits = {});

  /// Whether a choice's encode may be shared: stills only (video encoders carry state).
  static bool shareable(const encoding::Choice& choice) { return !choice.video; }
  /// The key of |image| encoded by |encoder| with |params| (hashes the pixels).
  static PictureKey makeKey(const EncoderObject& encoder, const rdk_image& image,
                            const rdk_encode_params& params, const std::string& createOptions);

  /// The stored encode of |key|, or null (counts a hit or a miss).
  std::shared_ptr<const EncodedPicture> find(const PictureKey& key, uint64_t nowUs);
  /// Stores a copy of |picture| (encoded in |encodeUs|) under |key|, evicting by age, then least
  /// recently used, to stay under the limits.
  void insert(PictureKey key, const EncodedPicture& picture, uint64_t encodeUs, uint64_t nowUs);

  SharedEncodingStats stats() const;
  const SharedEncodingLimits& limits() const { return limits_; }

 private:
  struct Entry {
    PictureKey key;
    std::shared_ptr<const EncodedPicture> picture;
    uint64_t encodeUs = 0;
    uint64_t lastUsedUs = 0;
    size_t bytes = 0;
  };
  using List = std::list<Entry>;  // most recently used first
  // Both under mutex_.
  void evict(uint64_t nowUs, size_t incoming);
  void erase(List::iterator it);

  const SharedEncodingLimits limits_;
  mutable std::mutex mutex_;
  List lru_;  // under mutex_, like everything below
  std::unordered_map<PictureKey, List::iterator, PictureKeyHash> index_;
  size_t bytes_ = 0;
  SharedEncodingStats stats_;
};

}  // namespace rdk::session
