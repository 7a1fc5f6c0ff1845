// Shared still-picture encodes (server.shared-encoding): every session captures and encodes its
// own damage, so N clients watching the same desktop with the same settings would encode the same
// pixels N times. The first session to encode a picture stores the result here; the others, in the
// same loop pass or shortly after, find it by the picture's content and the encode settings and
// only build their own draw packet (their own sequence number, supersede key, loss handling).
//
// Only stateless encoders may share: a video encoder (feature "video": an inter-frame stream whose
// output depends on the frames before) never goes through the cache; see shareable().
//
// Thread-safe: encode workers of all sessions share one cache (a lookup or an insert is one short
// critical section; hashing and encoding happen outside it), and ServerSummary reads the counters
// from any thread. Workers of different sessions often reach the same picture at the same moment:
// the first one claims it (acquire() returns null) and the others wait for its encode instead of
// encoding it again.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "rdk/encoding/types.h"
#include "rdk/kernel/plugin_objects.h"
#include "rdk/plugin_abi.h"

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
  uint64_t waits = 0;          // hits that waited for another worker's encode of the same picture
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
  // A worker waits this long at most for another's encode of the same picture, then encodes it
  // itself (the other may be stuck or gone: duplicate work, never a hang).
  uint64_t maxWaitUs = 1'000'000;
};

class EncodedPictureCache {
 public:
  explicit EncodedPictureCache(SharedEncodingLimits limits = {});

  /// Whether a choice's encode may be shared: stills only (video encoders carry state).
  static bool shareable(const encoding::Choice& choice) { return !choice.video; }
  /// The key of |image| encoded by |encoder| with |params| (hashes the pixels).
  static PictureKey makeKey(const plugin::EncoderObject& encoder, const rdk_image& image,
                            const rdk_encode_params& params, const std::string& createOptions) {
    return makeKey(encoder.pluginIdentity(), encoder.encoding(), image, params, createOptions);
  }
  /// The same before any encoder exists: |encoderTable| is the plugin's descriptor->encoder
  /// (what EncoderObject::pluginIdentity() returns).
  static PictureKey makeKey(const void* encoderTable, const std::string& encoding,
                            const rdk_image& image, const rdk_encode_params& params,
                            const std::string& createOptions);

  /// The stored encode of |key| (counted as a hit), or null without claiming anything: lets the
  /// loop skip copying pixels another session already encoded. Never waits.
  std::shared_ptr<const plugin::EncodedPicture> peek(const PictureKey& key, uint64_t nowUs);
  /// The stored encode of |key| (a hit), or null (a miss): the caller now holds the claim on
  /// |key| and must encode it, then insert() it or abandon() it. While another caller holds the
  /// claim (its encode is running: claims are taken when a worker starts, never for queued work,
  /// so waiting cannot starve a pool), this waits for that encode.
  std::shared_ptr<const plugin::EncodedPicture> acquire(const PictureKey& key, uint64_t nowUs);
  /// Stores a copy of |picture| (encoded in |encodeUs|) under |key|, evicting by age, then least
  /// recently used, to stay under the limits; releases the claim on |key| and wakes its waiters.
  void insert(PictureKey key, const plugin::EncodedPicture& picture, uint64_t encodeUs,
              uint64_t nowUs);
  /// The claimed encode failed: one waiter (if any) claims it in turn.
  void abandon(const PictureKey& key);

  SharedEncodingStats stats() const;
  const SharedEncodingLimits& limits() const { return limits_; }

 private:
  struct Entry {
    PictureKey key;
    std::shared_ptr<const plugin::EncodedPicture> picture;
    uint64_t encodeUs = 0;
    uint64_t lastUsedUs = 0;
    size_t bytes = 0;
  };
  using List = std::list<Entry>;  // most recently used first
  // Both under mutex_.
  void evict(uint64_t nowUs, size_t incoming);
  void erase(List::iterator it);
  std::shared_ptr<const plugin::EncodedPicture> hit(List::iterator it, uint64_t nowUs);

  const SharedEncodingLimits limits_;
  mutable std::mutex mutex_;
  List lru_;  // under mutex_, like everything below
  std::unordered_map<PictureKey, List::iterator, PictureKeyHash> index_;
  std::unordered_set<PictureKey, PictureKeyHash> claimed_;  // being encoded
  std::condition_variable released_;                        // a claim went
  size_t bytes_ = 0;
  SharedEncodingStats stats_;
};

}  // namespace rdk::session
