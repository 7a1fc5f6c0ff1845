// Turns one session's window damage into draw packets: batching and back-pressure
// (DamageBatcher), the encoding policy (Selector) per region, encoders owned per window (video)
// or per session (stills), and the loss callbacks of the transport (re-damage lost pictures, key
// frame after lost video). Still pictures may be encoded once for every session with the same
// settings (EncodedPictureCache); each session still sends its own draw. The loop captures and
// books each frame; the encode and the send run on the EncodePool, one lane per window (frames of
// a window in order, windows in parallel). Loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rdk/encoding/damage_batcher.h"
#include "rdk/encoding/region_policy.h"
#include "rdk/encoding/scroll_detector.h"
#include "rdk/encoding/selector.h"
#include "rdk/encoding/video_region.h"
#include "rdk/encoding/window_state.h"
#include "rdk/kernel/plugin_objects.h"
#include "rdk/session/desktop.h"
#include "rdk/session/encode_job.h"
#include "rdk/session/encode_pool.h"
#include "rdk/session/encoded_picture_cache.h"
#include "rdk/session/packet_channel.h"

namespace rdk::plugin {
class Registry;
}

namespace rdk::session {

struct StreamStats {
  uint64_t draws = 0;
  uint64_t drawBytes = 0;
  uint64_t keyframes = 0;
  uint64_t lost = 0;
  uint64_t superseded = 0;
  uint64_t redamaged = 0;
  uint64_t refreshes = 0;
  uint64_t decodeErrors = 0;
  uint64_t encodeErrors = 0;
  uint64_t sharedEncodes = 0;  // draws whose picture another session had already encoded
  uint64_t scrolls = 0;        // scroll draws sent
  uint64_t scrolledRows = 0;   // rows they moved instead of sending
  uint64_t videoRegions = 0;   // video regions started or moved
  std::map<std::string, uint64_t> perEncoding;
  std::map<std::string, uint64_t> encodeUsPerEncoding;  // encoder time (shared encodes: none)
};

/// What the encoding policy is doing for one window, for `info` (as --explain does for plugins).
struct WindowPolicyInfo {
  std::optional<encoding::Rect> videoRegion;
  std::string regionWhy;   // why there is (or is not) a video region
  std::string choice;      // the last encoding chosen ("scroll" for a scroll draw)
  std::string why;         // the reason for it
  bool scrolling = false;  // the client paints scroll draws for this window
};

class WindowStreamer {
 public:
  /// |pool| null: every job runs inline on the caller's thread (tests, tools).
  WindowStreamer(plugin::Registry& registry, Desktop& desktop, PacketChannel& channel,
                 encoding::Selector selector, encoding::BatchSettings batch,
                 std::string encoderOptionsJson, bool sendCaptureTimestamps,
                 EncodedPictureCache* sharedEncodes = nullptr, EncodePool* pool = nullptr);
  /// Waits for the encodes in progress (they send on the channel this streamer was given).
  ~WindowStreamer();

  void addWindow(const ServerWindow& window, uint64_t nowUs);
  void resizeWindow(uint64_t wid, uint32_t width, uint32_t height, uint64_t nowUs);
  void removeWindow(uint64_t wid);
  void damage(uint64_t wid, const rdk_rect& rect, uint64_t nowUs);
  void damageAll(uint64_t nowUs);
  void onAck(uint64_t sequence, uint64_t wid, int64_t decodeTimeUs, uint64_t nowUs);
  void onLost(uint64_t packetId, bool superseded, uint64_t nowUs);
  /// The client paints `scroll` draws: for every window (hello `encoding.scrolling`), or for one
  /// window (its map-window / configure-window client property `encoding.scrolling`, which is
  /// where the stock Xpra 3.1.3 client announces it).
  void setScrolling(bool enabled) { scrolling_ = enabled; }
  void setWindowScrolling(uint64_t wid, bool enabled);
  /// Collects finished encodes, then captures what is due and hands it to the encode pool.
  void tick(uint64_t nowUs);

  const StreamStats& stats() const { return stats_; }
  const std::string& lastError() const { return lastError_; }
  std::vector<std::string> encodersInUse() const;
  std::map<uint64_t, WindowPolicyInfo> policyInfo() const;

 private:
  /// What the client shows in an area, as row hashes of the pixels last sent there (stills
  /// only); the reference for scroll detection. |lossy|: they were sent lossily.
  struct ScrollRef {
    encoding::RowHashes hashes;
    bool lossy = false;
  };
  struct Stream {
    encoding::WindowEncodingState state;
    std::shared_ptr<WindowEncoders> encoders;  // used by the lane's jobs only
    std::shared_ptr<EncodePool::Lane> lane;
    bool resetVideo = false;     // for the next job: new video streams
    bool forceKeyframe = false;  // for the next video job
    encoding::VideoRegionDetector regions;
    encoding::ScrollHistory scrolls;
    encoding::RegionContent content;    // the video region's sampled colours
    std::vector<ScrollRef> scrollRefs;  // disjoint areas, a few at most
    std::optional<bool> scrolling;      // the window's own client property
    WindowPolicyInfo info;
  };
  struct InFlight {
    uint64_t wid;
    rdk_rect rect;
    bool video;
    uint64_t sequence;
    encoding::Rect scrollArea;  // non-empty: a picture after a scroll draw of this area
    std::string encoding;       // what the policy chose (its decode time is learned from acks)
  };
  /// Results handed back by the encode workers.
  struct Completions {
    std::mutex mutex;
    std::vector<EncodeResult> results;
  };
  Stream& openStream(uint64_t wid, uint32_t width, uint32_t height, uint64_t nowUs);
  void schedule(uint64_t wid, Stream& stream, const encoding::Rect& region,
                const encoding::Choice& choice, uint64_t nowUs);
  /// Books and posts the encode of |image| (captured for |region|). |newRef|: the row hashes of
  /// |image|, which become the area's scroll reference.
  void scheduleImage(uint64_t wid, Stream& stream, const encoding::Rect& region,
                     const encoding::Choice& choice, const rdk_image& image, uint64_t nowUs,
                     const encoding::Rect& afterScroll = {});
  /// A scroll draw plus pictures of the new rows when |region| is a shifted copy of what the
  /// client shows; false when it is not eligible (then schedule() sends a picture).
  bool tryScroll(uint64_t wid, Stream& stream, const encoding::Rect& region,
                 const encoding::Choice& choice, const encoding::NetworkState& net, uint64_t nowUs);
  void book(uint64_t wid, Stream& stream, EncodeJob& job, const rdk_rect& rect, bool video,
            uint64_t nowUs, const encoding::Rect& afterScroll);
  void post(Stream& stream, std::shared_ptr<EncodeJob> job);
  bool scrollingFor(const Stream& stream) const;
  void rememberRows(Stream& stream, const encoding::Rect& region, const rdk_image& image,
                    bool lossy);
  void forgetRows(Stream& stream, const encoding::Rect& region);
  const plugin::LoadedPlugin* encoderPlugin(const std::string& encoding);
  void collect(uint64_t nowUs);
  void forget(uint64_t packetId);
  encoding::NetworkState network() const;

  plugin::Registry& registry_;
  Desktop& desktop_;
  PacketChannel& channel_;
  encoding::Selector selector_;
  encoding::DamageBatcher batcher_;
  std::string encoderOptionsJson_;
  bool sendCaptureTimestamps_;
  EncodedPictureCache* sharedEncodes_;  // null: every picture is encoded here
  EncodePool* pool_;
  std::shared_ptr<Completions> completions_ = std::make_shared<Completions>();
  std::map<uint64_t, Stream> streams_;
  std::map<std::string, const plugin::LoadedPlugin*> plugins_;  // by encoding
  std::vector<std::string> encodingsUsed_;
  std::map<uint64_t, InFlight> inFlight_;  // by transport packet id
  std::map<uint64_t, uint64_t> packetBySequence_;
  bool scrolling_ = false;
  encoding::ScrollSettings scrollSettings_;
  uint64_t nextSequence_ = 1;
  StreamStats stats_;
  std::string lastError_;
};

}  // namespace rdk::session
