// Pixel updates and their acknowledgement (reference §5 "draw", "damage-sequence").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

// One entry of a "scroll" draw (Xpra 3.1.3 encode_scrolling): the client's rows at (x, y, w, h),
// as they were before this draw, are copied to (x + dx, y + dy).
struct DrawScroll {
  int64_t x = 0, y = 0, w = 0, h = 0, dx = 0, dy = 0;
  bool operator==(const DrawScroll&) const = default;
};

// Server -> client: [wid, x, y, w, h, coding, data, packet_sequence, rowstride, options{}].
// `data` (index 7) normally travels as a raw chunk; RecordWriter does that above 4 KiB.
// For coding "scroll" data is a list of [x, y, w, h, xdelta, ydelta] lists instead (`scrolls`).
struct Draw {
  static constexpr std::string_view kScrollCoding = "scroll";
  static constexpr size_t kMaxScrolls = 4096;  // a longer list is refused as malformed
  static constexpr std::string_view kType = "draw";
  static constexpr size_t kDataIndex = 7;
  int64_t wid = 0;
  int64_t x = 0, y = 0, width = 0, height = 0;
  std::string coding;  // rgb24, rgb32, png, jpeg, webp, vp8, h264, ...
  std::string data;
  int64_t packetSequence = 0;       // per-window counter starting at 1
  int64_t rowstride = 0;            // 0 for compressed formats, bytes per line for rgb
  Value::Dict options;              // rgb_format, lz4/zlib, quality, speed, flush, ...
  std::vector<DrawScroll> scrolls;  // coding "scroll" only (data is then empty)
  Packet toPacket() const;
  static Draw fromPacket(const Packet& p);
  bool operator==(const Draw&) const = default;
};

// Client -> server: [packet_sequence, wid, width, height, decode_time_us, message].
struct DamageSequence {
  static constexpr std::string_view kType = "damage-sequence";
  int64_t packetSequence = 0;
  int64_t wid = 0;
  int64_t width = 0, height = 0;
  int64_t decodeTimeUs = 0;  // > 0 microseconds; 0 = paint skipped; -1 = decode error
  std::string message;
  Packet toPacket() const;
  static DamageSequence fromPacket(const Packet& p);
  bool operator==(const DamageSequence&) const = default;
};

}  // namespace rdk::protocol
