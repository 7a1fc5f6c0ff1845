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
#include <string>
#include <vector>

#include "rdk/encoding/damage_batcher.h"
#include "rdk/encoding/selector.h"
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
  std::map<std::string, uint64_t> perEncoding;
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
  /// Collects finished encodes, then captures what is due and hands it to the encode pool.
  void tick(uint64_t nowUs);

  const StreamStats& stats() const { return stats_; }
  const std::string& lastError() const { return lastError_; }
  std::vector<std::string> encodersInUse() const;

 private:
  struct Stream {
    encoding::WindowEncodingState state;
    std::shared_ptr<WindowEncoders> encoders;  // used by the lane's jobs only
    std::shared_ptr<EncodePool::Lane> lane;
    bool resetVideo = false;     // for the next job: new video streams
    bool forceKeyframe = false;  // for the next video job
  };
  struct InFlight {
    uint64_t wid;
    rdk_rect rect;
    bool video;
    uint64_t sequence;
  };
  /// Results handed back by the encode workers.
  struct Completions {
    std::mutex mutex;
    std::vector<EncodeResult> results;
  };
  Stream& openStream(uint64_t wid, uint32_t width, uint32_t height, uint64_t nowUs);
  void schedule(uint64_t wid, Stream& stream, const encoding::Rect& region,
                const encoding::Choice& choice, uint64_t nowUs);
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
  uint64_t nextSequence_ = 1;
  StreamStats stats_;
  std::string lastError_;
};

}  // namespace rdk::session
