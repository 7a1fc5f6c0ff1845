// Cursor, bell and audio packets (reference §5 "Cursor and bell", "Audio").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

// Server -> client: [encoding, x, y, w, h, xhot, yhot, serial, pixels, name, default_size,
// max_w, max_h]; ["cursor", ""] means the default cursor (isDefault()).
struct Cursor {
  static constexpr std::string_view kType = "cursor";
  static constexpr size_t kPixelsIndex = 9;
  std::string encoding;  // "png" or "raw" (BGRA); empty = default cursor
  int64_t x = 0, y = 0, width = 0, height = 0;
  int64_t xhot = 0, yhot = 0;
  int64_t serial = 0;
  std::string pixels;
  std::string name;
  int64_t defaultSize = 0;
  int64_t maxWidth = 0, maxHeight = 0;
  bool isDefault() const { return encoding.empty(); }
  Packet toPacket() const;
  static Cursor fromPacket(const Packet& p);
  bool operator==(const Cursor&) const = default;
};

// Server -> client: [wid, device, percent, pitch, duration, bell_class, bell_id, bell_name].
// All ints but the name: 3.1.3 servers forward XkbBellNotifyEvent's int fields (x11_server_core
// _bell_signaled) and the stock client hands bell_class to XkbDeviceBell, so an empty-string
// bell_class is refused here as it would fail there. wid 0 = not one of our windows.
struct Bell {
  static constexpr std::string_view kType = "bell";
  int64_t wid = 0;
  int64_t device = 0;
  int64_t percent = 0;
  int64_t pitch = 0;
  int64_t duration = 0;
  int64_t bellClass = 0;  // XKB feedback class; 0 = KbdFeedbackClass
  int64_t bellId = 0;
  std::string bellName;
  Packet toPacket() const;
  static Bell fromPacket(const Packet& p);
  bool operator==(const Bell&) const = default;
};

// Both directions: [codec, data, metadata{}(, packet_metadata[])]. Stream start/end are empty
// data with {"start-of-stream": True, ...} / {"end-of-stream": True, ...} metadata.
struct SoundData {
  static constexpr std::string_view kType = "sound-data";
  std::string codec;
  std::string data;
  Value::Dict metadata;
  std::optional<Value::List> packetMetadata;
  Packet toPacket() const;
  static SoundData fromPacket(const Packet& p);
  bool operator==(const SoundData&) const = default;
};

// Both directions: [command, *args]: "start" codec, "stop" sequence, "new-sequence" n, "sync"
// delay, "fadein"/"fadeout" ms, ...
struct SoundControl {
  static constexpr std::string_view kType = "sound-control";
  std::string command;
  Value::List args;
  Packet toPacket() const;
  static SoundControl fromPacket(const Packet& p);
  bool operator==(const SoundControl&) const = default;
};

}  // namespace rdk::protocol
