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
// Candidates with neither "lossless" nor "quality" (png/P, png/L: only sent by png when exact) are
// never chosen directly.
#pragma once

#include <string>
#include <vector>

#include "rdk/encoding/types.h"
#include "rdk/encoding/window_state.h"

namespace rdk::encoding {

class Selector {
 public:
  /// |serverSide|: what our encoder plugins offer (see candidatesFromFeatures). |clientEncodings|:
  /// the client's encodings.core. Only their intersection is ever chosen.
  Selector(std::vector<EncoderCandidate> serverSide, std::vector<std::string> clientEncodings,
           Settings settings = {});

  /// For a damaged |region| of |window|.
  Choice choose(const WindowEncodingState& window, const Rect& region, const NetworkState& net,
                uint64_t nowUs) const;
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
  const EncoderCandidate* best(Want want, const Rect& region, int speed,
                               const NetworkState& net) const;
  bool fits(const EncoderCandidate& c, const Rect& region) const;
  bool lossyLink(const NetworkState& net) const;
  Choice make(const EncoderCandidate& c, int quality, int speed, std::string reason) const;

  std::vector<EncoderCandidate> common_;
  Settings settings_;
};

}  // namespace rdk::encoding
