// The encoding policy: which encoding, quality and speed for one damaged region, from the
// candidates' properties (never their names), the client's encodings, the window's history and the
// network. Rules (Xpra 3.1.3 §3.5 and §7 of the protocol notes, plus loss awareness):
//   1. small regions (<= smallPixels or thinner than smallSide) -> the cheapest lossless encoding;
//   2. sustained motion over a large area, or a big region on a lossy link, -> the best video
//      encoding (key frame when the window wants one), unless the window was just resized;
//   3. quality below losslessQuality (and the window not text-like) -> the best lossy still;
//   4. otherwise the best lossless still encoding; on a lossy link big lossless pictures are
//      avoided in favour of lossy stills;
//   5. chooseRefresh(): the lossless refresh after lossy updates (or after a decode error); on a
//      lossy link a big refresh goes as a high-quality video frame instead.
// "Best" maximises rank - w * cost, w = 0.25 + 3 * (speed/100)^2, halved when the link is known to
// be thinner than 10 Mbit/s: rank (compression) wins at low speed targets, cost (CPU) at high ones.
// For stills bigger than bigPixels on a link that is not lossy, w is multiplied by
// min(8, 1 + pixels / 262144): a big picture holds its window's lane for the whole encode.
// "cost" is the features' figure until the window has measured the encoding (EncodeTimes): then
// it is the measured time per megapixel in units of Settings::costUnitUsPerMpx. Unmeasured ones
// count their figure scaled like the window's measured ones (by the largest measured/declared
// ratio, or its square root while only one is measured; never below a single slow sample),
// and one on trial (encode started, no time back) is skipped while a measured one fits.
// Candidates with neither "lossless" nor "quality" (png/P, png/L: only sent by png when exact) are
// never chosen directly.
#pragma once

#include <string>
#include <vector>

#include "rdk/encoding/types.h"
#include "rdk/encoding/window_state.h"

namespace rdk::encoding {

/// How choose() may decide beyond the rules above.
struct ChooseOptions {
  /// Rule 2's "sustained motion -> whole-window video". Off when a VideoRegionDetector decides
  /// where video goes (region_policy.h): motion somewhere must not turn the whole window to video.
  bool motionVideo = true;
  /// Skip rule 3 (the area is outside a video region: keep it sharp, like Xpra's higher quality
  /// outside its video subregion). Big stills on a lossy link stay lossy.
  bool preferLossless = false;
  /// No video at all (the pieces around a video region: one stream per window, sized to it).
  bool allowVideo = true;
};

class Selector {
 public:
  /// |serverSide|: what our encoder plugins offer (see candidatesFromFeatures). |clientEncodings|:
  /// the client's encodings.core. Only their intersection is ever chosen.
  Selector(std::vector<EncoderCandidate> serverSide, std::vector<std::string> clientEncodings,
           Settings settings = {});

  /// For a damaged |region| of |window|.
  Choice choose(const WindowEncodingState& window, const Rect& region, const NetworkState& net,
                uint64_t nowUs, const ChooseOptions& options = {}) const;
  /// The video encoding for a video region |videoRect| (sized to it), empty when no video
  /// candidate fits it or the window was just resized.
  Choice chooseVideo(const WindowEncodingState& window, const Rect& videoRect,
                     const NetworkState& net, uint64_t nowUs, std::string reason) const;
  /// For the refresh of |region| (usually the whole window) when window.refreshDue().
  Choice chooseRefresh(const WindowEncodingState& window, const Rect& region,
                       const NetworkState& net, uint64_t nowUs) const;

  /// The usable encodings (server ∩ client), empty = "no common encodings found".
  const std::vector<EncoderCandidate>& common() const { return common_; }
  const Settings& settings() const { return settings_; }

  /// Quality and speed targets for a window under |net| (exposed for tests and `info`).
  int targetQuality(const WindowEncodingState& window, const NetworkState& net,
                    uint64_t nowUs) const;
  int targetSpeed(const WindowEncodingState& window, const NetworkState& net, uint64_t nowUs) const;

 private:
  enum class Want { kLossless, kLossyStill, kVideo };
  const EncoderCandidate* best(Want want, const WindowEncodingState& window, const Rect& region,
                               int speed, const NetworkState& net, uint64_t nowUs) const;
  /// The candidate's cost for |window|: measured when known, else its features' figure, scaled
  /// like the window's measured ones (see selector.cpp).
  double cost(const EncoderCandidate& c, const WindowEncodingState& window, uint64_t nowUs) const;
  bool fits(const EncoderCandidate& c, const Rect& region) const;
  /// The client's named picture encoding when it is to be used for every non-small region.
  const EncoderCandidate* preferredStill() const;
  bool lossyLink(const NetworkState& net) const;
  Choice make(const EncoderCandidate& c, int quality, int speed, std::string reason) const;

  std::vector<EncoderCandidate> common_;
  Settings settings_;
};

}  // namespace rdk::encoding
