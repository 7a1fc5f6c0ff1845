// The plugin's probe, run by the kernel in a child process: finds a render node whose driver can
// encode H.264, encodes a synthetic picture pair with it (IDR then P) and checks the bitstream.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdk::vaapi {

/// The probe's JSON answer: ok, reason, encodings, and the paths whose change invalidates it.
std::string probeJson();

/// NAL unit types found in an Annex-B byte stream, in order.
std::vector<uint8_t> nalTypes(const std::vector<uint8_t>& annexB);

}  // namespace rdk::vaapi
