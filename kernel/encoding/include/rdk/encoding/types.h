// Value types shared by the encoding policy: regions, encoder properties, network state, choices.
//
// The policy never names a codec: everything it knows about an encoder comes from the plugin's
// features.json (see candidates.h), so adding a codec plugin needs no kernel change.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace rdk::encoding {

/// A rectangle in window coordinates.
struct Rect {
  int32_t x = 0;
  int32_t y = 0;
  uint32_t w = 0;
  uint32_t h = 0;
  uint64_t pixels() const { return static_cast<uint64_t>(w) * h; }
  bool empty() const { return w == 0 || h == 0; }
  bool operator==(const Rect&) const = default;
};

/// What the policy knows about one server-side encoding, from a plugin feature
/// {"kind":"encoder","name":...,"rank":...,"lossless":...,...}.
struct EncoderCandidate {
  std::string name;        // Xpra coding name ("vp8", "png", "rgb24", ...)
  bool lossless = false;   // can produce pixel-exact output
  bool lossy = false;      // honours a quality below 100 (feature "quality")
  bool video = false;      // stateful inter-frame stream (needs the same size every frame)
  bool keyframes = false;  // can be asked for a key frame
  bool hardware = false;
  int rank = 0;            // compression efficiency: higher = fewer bytes for the same quality
  int cost = 0;            // CPU cost per pixel, arbitrary units: higher = slower
  uint64_t minPixels = 0;  // not worth it below this area
  uint64_t maxPixels = std::numeric_limits<uint64_t>::max();
  uint32_t maxWidth = std::numeric_limits<uint32_t>::max();
  uint32_t maxHeight = std::numeric_limits<uint32_t>::max();
};

/// The transport's measurements (rdk_transport_stats), 0 = unknown.
struct NetworkState {
  uint32_t lossPermille = 0;
  uint32_t srttUs = 0;
  uint64_t bandwidthBps = 0;
};

/// The policy's decision for one region.
struct Choice {
  std::string encoding;   // empty when nothing usable (no common encoding)
  int quality = 100;      // Xpra scale 0..100
  int speed = 50;         // Xpra scale 0..100
  bool keyframe = false;  // video: ask the encoder for a key frame (RDK_ENCODE_KEYFRAME)
  bool lossless = false;  // the result must be pixel exact (RDK_ENCODE_LOSSLESS)
  bool video = false;     // a video stream: the encoder instance must persist for the window
  bool refresh = false;   // this is the lossless refresh after lossy updates
  std::string reason;     // human-readable, for logs and `rdkernel info`
};

/// Tunables; defaults follow Xpra 3.1.3 where it has an equivalent.
struct Settings {
  // Targets: -1 = automatic (derived from the network and the damage rate).
  int quality = -1;
  int speed = -1;
  int minQuality = 30;  // client caps encoding.min-quality
  int minSpeed = 30;    // client caps encoding.min-speed
  // Regions at or below this many pixels, or thinner than smallSide, go lossless (Xpra: 4096, 8).
  uint64_t smallPixels = 4096;
  uint32_t smallSide = 8;
  // Windows below this many pixels never use video (Xpra MAX_NONVIDEO_PIXELS).
  uint64_t videoMinWindowPixels = 4096;
  // Video needs this much of the window changing (fraction of window area, per second) ...
  double videoMinAreaFraction = 0.25;
  // ... at this many frames per second, for this long.
  double videoMinFps = 8.0;
  uint64_t videoSustainUs = 500'000;
  // After a resize video waits this long (Xpra: 350 ms).
  uint64_t resizeHoldUs = 350'000;
  // Lossless refresh this long after the last lossy update (client cap auto_refresh_delay).
  uint64_t autoRefreshDelayUs = 150'000;
  int refreshQuality = 100;
  int refreshSpeed = 50;
  // Loss at or above this counts as a lossy link: big lossless pictures are avoided.
  uint32_t lossyLinkPermille = 10;
  // A region this big counts as "big" for the loss rule.
  uint64_t bigPixels = 65536;
  // Quality at or above this is served losslessly.
  int losslessQuality = 90;
  // A measured encode time (EncodeTimes) replaces the features' cost figure at this rate: one
  // cost unit per this many µs per megapixel. At 1 ms per unit and speed 80 (cost weight 2.2) a
  // rank lead of 40 is worth 18 ms per megapixel of encoding.
  double costUnitUsPerMpx = 1000.0;
  // The client's hello "encoding" (empty or "auto": none), honoured as Xpra 3.1.3's window
  // sources do: a video encoding is the one used whenever video is chosen; a picture encoding is
  // used for every region above the small ones only when the client has no video encoding in
  // common and does not paint scroll draws (otherwise 3.1.3's video source picks by itself).
  std::string preferredEncoding;
  bool clientScrolls = false;
};

}  // namespace rdk::encoding
