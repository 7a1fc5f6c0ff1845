// Turning plugin features into policy inputs.
#pragma once

#include <string_view>
#include <vector>

#include "rdk/encoding/types.h"

namespace rdk::encoding {

/// The encoder features of one plugin's features JSON array (the manifest's "features"): entries
/// with "kind":"encoder" become candidates; other kinds are ignored. Missing properties take the
/// EncoderCandidate defaults. Throws std::invalid_argument on malformed JSON.
std::vector<EncoderCandidate> candidatesFromFeatures(std::string_view featuresJson);

}  // namespace rdk::encoding
