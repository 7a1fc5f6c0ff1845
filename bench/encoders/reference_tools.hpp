// The reference encoders of the benchmark, run as the Debian tools on the same frames: vpxenc
// (vpx-tools) on I420 input and cwebp (webp) on PPM input. Timed by the CPU time of their processes
// (getrusage of the children), which includes their start-up and file I/O.
#pragma once

#include <string>
#include <vector>

#include "codec_harness.hpp"

namespace rdk::bench {

struct ReferenceRun {
  bool ok = false;
  std::string error;
  double encodeSeconds = 0;
  std::vector<std::vector<uint8_t>> frames;  // one bitstream per input frame
};

struct VpxencSettings {
  bool vp9 = false;
  int cqLevel = 15;
  int minQ = 11, maxQ = 19;
  int cpuUsed = 11;
  uint32_t targetKbps = 15000;
  int threads = 1;
};

ReferenceRun runVpxenc(const std::string& dir, const std::vector<test::Picture>& frames,
                       const VpxencSettings& s);

struct CwebpSettings {
  bool lossless = false;
  int quality = 80;
  int method = 2;  // lossy
  int level = 3;   // lossless -z
};

ReferenceRun runCwebp(const std::string& dir, const std::vector<test::Picture>& frames,
                      const CwebpSettings& s);

/// |s| in single quotes for the shell (our paths contain no quotes).
std::string shellQuote(const std::string& s);

}  // namespace rdk::bench
