// Synthetic 1920x1080 desktop sequences: the content classes the encoding policy distinguishes.
#pragma once

#include <string>
#include <vector>

#include "codec_harness.hpp"

namespace rdk::bench {

enum class SequenceKind {
  kScrollingText,  // a text page scrolling 4 px per frame (terminal, browser)
  kVideoRegion,    // a static desktop with a 640x360 moving picture in the middle
  kMostlyStatic,   // a static desktop where only a clock and a cursor change
};

std::string nameOf(SequenceKind kind);

/// |frames| frames of |kind| at |width|x|height|.
std::vector<test::Picture> makeSequence(SequenceKind kind, uint32_t width, uint32_t height,
                                        uint32_t frames);

}  // namespace rdk::bench
