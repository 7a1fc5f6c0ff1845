#include "rdk/audio/tone.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>

namespace rdk::audio {

std::vector<int16_t> sine(double hz, int rate, int channels, size_t frames, double amplitude,
                          uint64_t startFrame) {
  std::vector<int16_t> out(frames * static_cast<size_t>(channels));
  for (size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(startFrame + i) / rate;
    const auto v = static_cast<int16_t>(
        std::lround(amplitude * 32767.0 * std::sin(2 * std::numbers::pi * hz * t)));
    for (int c = 0; c < channels; ++c)
      out[i * static_cast<size_t>(channels) + static_cast<size_t>(c)] = v;
  }
  return out;
}

double estimateFrequency(std::span<const int16_t> pcm, int rate, int channels) {
  if (channels <= 0 || rate <= 0)
    return 0;
  const size_t frames = pcm.size() / static_cast<size_t>(channels);
  // Hysteresis: a crossing counts once the signal went below -h since the last one, so noise
  // around zero (and concealment fades) adds no crossings.
  constexpr int kHysteresis = 200;
  bool armed = false;
  double first = -1, last = -1;
  size_t count = 0;
  for (size_t i = 1; i < frames; ++i) {
    const int a = pcm[(i - 1) * static_cast<size_t>(channels)];
    const int b = pcm[i * static_cast<size_t>(channels)];
    if (b < -kHysteresis)
      armed = true;
    if (armed && a < 0 && b >= 0) {
      const double at = static_cast<double>(i - 1) + static_cast<double>(-a) / (b - a);
      if (first < 0)
        first = at;
      last = at;
      ++count;
      armed = false;
    }
  }
  if (count < 3 || last <= first)
    return 0;
  return static_cast<double>(count - 1) * rate / (last - first);
}

size_t longestSilence(std::span<const int16_t> pcm, int channels, int16_t threshold,
                      size_t fromFrame, size_t toFrame) {
  if (channels <= 0)
    return 0;
  const size_t frames = pcm.size() / static_cast<size_t>(channels);
  if (toFrame == 0 || toFrame > frames)
    toFrame = frames;
  size_t longest = 0, run = 0;
  for (size_t i = fromFrame; i < toFrame; ++i) {
    if (std::abs(static_cast<int>(pcm[i * static_cast<size_t>(channels)])) <= threshold) {
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
  }
  return longest;
}

size_t firstSound(std::span<const int16_t> pcm, int channels, int16_t threshold) {
  if (channels <= 0)
    return std::numeric_limits<size_t>::max();
  const size_t frames = pcm.size() / static_cast<size_t>(channels);
  for (size_t i = 0; i < frames; ++i)
    if (std::abs(static_cast<int>(pcm[i * static_cast<size_t>(channels)])) > threshold)
      return i;
  return std::numeric_limits<size_t>::max();
}

}  // namespace rdk::audio
