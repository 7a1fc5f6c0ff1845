// Test signals and their measurement: a sine generator, a frequency estimate from zero
// crossings, and the longest silent stretch (a gap). Used by the audio tests and bench/audio.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace rdk::audio {

/// |frames| frames of a |hz| sine at |rate|, |channels| interleaved, amplitude |amplitude|
/// (of 32767), starting at phase sample |startFrame|.
std::vector<int16_t> sine(double hz, int rate, int channels, size_t frames, double amplitude = 0.5,
                          uint64_t startFrame = 0);

/// The tone's frequency in Hz from channel 0 of |pcm|: rising zero crossings (with hysteresis,
/// interpolated between samples) over the whole span. 0 when there are fewer than 3 crossings.
double estimateFrequency(std::span<const int16_t> pcm, int rate, int channels);

/// The longest run, in frames, where channel 0 stays within +-|threshold| (silence), between
/// |fromFrame| and |toFrame| (exclusive; 0 = to the end).
size_t longestSilence(std::span<const int16_t> pcm, int channels, int16_t threshold,
                      size_t fromFrame = 0, size_t toFrame = 0);

/// First frame whose |amplitude| on channel 0 exceeds |threshold|, or SIZE_MAX.
size_t firstSound(std::span<const int16_t> pcm, int channels, int16_t threshold);

}  // namespace rdk::audio
