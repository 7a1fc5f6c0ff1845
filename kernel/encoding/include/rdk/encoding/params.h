// From a policy Choice to the plugin ABI's encode parameters.
#pragma once

#include "rdk/encoding/types.h"
#include "rdk/plugin_abi.h"

namespace rdk::encoding {

/// The rdk_encode_params for encoding |choice| (bitrate 0 = derived from quality by the encoder).
inline rdk_encode_params toEncodeParams(const Choice& choice, uint32_t bitrateKbps = 0) {
  rdk_encode_params p{};
  p.struct_size = sizeof(p);
  p.quality = choice.quality;
  p.speed = choice.speed;
  p.flags = 0;
  if (choice.keyframe)
    p.flags |= static_cast<uint32_t>(RDK_ENCODE_KEYFRAME);
  if (choice.lossless)
    p.flags |= static_cast<uint32_t>(RDK_ENCODE_LOSSLESS);
  p.bitrate_kbps = bitrateKbps;
  return p;
}

}  // namespace rdk::encoding
