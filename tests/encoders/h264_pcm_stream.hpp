// Builds complete H.264 access units from rdkernel's SPS/PPS/slice-header writer (the one the
// VA-API plugin hands to drivers) with the simplest slice data there is: I_PCM macroblocks (the
// samples verbatim) for IDR pictures and one skip run for P pictures. A stock decoder must then
// reproduce the planes exactly, which checks every header field without needing VA-API hardware.
#pragma once

#include <cstdint>
#include <vector>

#include "h264_headers.hpp"

namespace rdk::test {

/// A 4:2:0 picture with planes padded to whole macroblocks.
struct PlanarPicture {
  uint32_t width = 0, height = 0;  // visible size
  uint32_t paddedWidth = 0, paddedHeight = 0;
  std::vector<uint8_t> y, u, v;
};

/// A deterministic picture of |width| x |height| (even) whose samples depend on |seed|.
PlanarPicture makePlanarPicture(uint32_t width, uint32_t height, uint32_t seed);

/// SPS + PPS + an IDR slice carrying |picture| as I_PCM macroblocks.
std::vector<uint8_t> pcmIdrAccessUnit(const h264::StreamLayout& layout, uint32_t idrPicId,
                                      const PlanarPicture& picture);

/// A P picture whose macroblocks are all skipped: it repeats the previous picture.
std::vector<uint8_t> skippedPAccessUnit(const h264::StreamLayout& layout, uint32_t frameNum);

/// Removes emulation-prevention bytes (the inverse of h264::annexBNal's escaping).
std::vector<uint8_t> unescapeRbsp(const std::vector<uint8_t>& payload);

}  // namespace rdk::test
