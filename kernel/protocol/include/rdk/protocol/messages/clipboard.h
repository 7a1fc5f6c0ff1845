// Clipboard packets as Xpra 3.1.3 sends them (xpra/clipboard/clipboard_core.py,
// clipboard_timeout_helper.py, server/mixins/clipboard_server.py). Both directions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

// Selection data on the wire: [dtype, dformat, wire_encoding, wire_data]. wire_encoding "bytes"
// carries the raw bytes, "atoms" a list of target names (dtype ATOM), "integers" a list of ints
// (format 16/32).
struct ClipboardWireData {
  std::string dtype;     // "UTF8_STRING", "image/png", "ATOM", ...
  int64_t dformat = 8;   // 8, 16 or 32
  std::string encoding;  // "bytes", "atoms", "integers"
  Value data;            // bytes, or a list for atoms/integers
  bool operator==(const ClipboardWireData&) const = default;
};

// [selection(, targets[](, target, dtype, dformat, wire_encoding, wire_data(, claim, greedy(,
// synchronous))))]. A bare token (stock X11 peers) says only "the other side owns it now".
struct ClipboardToken {
  static constexpr std::string_view kType = "clipboard-token";
  std::string selection;
  std::optional<std::vector<std::string>> targets;
  std::string target;                     // with |data|: which target it holds
  std::optional<ClipboardWireData> data;  // greedy peers send the contents with the token
  bool claim = true;                      // absent (older peers): claim
  bool greedy = false;
  bool synchronous = false;
  Packet toPacket() const;
  static ClipboardToken fromPacket(const Packet& p);
  bool operator==(const ClipboardToken&) const = default;
};

// [request_id, selection, target].
struct ClipboardRequest {
  static constexpr std::string_view kType = "clipboard-request";
  int64_t requestId = 0;
  std::string selection;
  std::string target;
  Packet toPacket() const;
  static ClipboardRequest fromPacket(const Packet& p);
  bool operator==(const ClipboardRequest&) const = default;
};

// [request_id, selection, dtype, dformat, wire_encoding, wire_data(, truncated)].
struct ClipboardContents {
  static constexpr std::string_view kType = "clipboard-contents";
  static constexpr size_t kDataIndex = 6;
  int64_t requestId = 0;
  std::string selection;
  ClipboardWireData data;
  std::optional<int64_t> truncated;  // sent to peers with "contents-slice-fix"
  Packet toPacket() const;
  static ClipboardContents fromPacket(const Packet& p);
  bool operator==(const ClipboardContents&) const = default;
};

// [request_id, selection]: no data for that request.
struct ClipboardContentsNone {
  static constexpr std::string_view kType = "clipboard-contents-none";
  int64_t requestId = 0;
  std::string selection;
  Packet toPacket() const;
  static ClipboardContentsNone fromPacket(const Packet& p);
  bool operator==(const ClipboardContentsNone&) const = default;
};

// [selections[]]: the selections the peer wants synchronised.
struct ClipboardEnableSelections {
  static constexpr std::string_view kType = "clipboard-enable-selections";
  std::vector<std::string> selections;
  Packet toPacket() const;
  static ClipboardEnableSelections fromPacket(const Packet& p);
  bool operator==(const ClipboardEnableSelections&) const = default;
};

// [count]: requests the sender still waits for (progress notifications).
struct ClipboardPendingRequests {
  static constexpr std::string_view kType = "clipboard-pending-requests";
  int64_t pending = 0;
  Packet toPacket() const;
  static ClipboardPendingRequests fromPacket(const Packet& p);
  bool operator==(const ClipboardPendingRequests&) const = default;
};

// [loop_uuids{}]: 3.1.3 clients send it only when the server's hello had clipboard.loop-uuids.
struct ClipboardLoopUuids {
  static constexpr std::string_view kType = "clipboard-loop-uuids";
  Value::Dict uuids;
  Packet toPacket() const;
  static ClipboardLoopUuids fromPacket(const Packet& p);
  bool operator==(const ClipboardLoopUuids&) const = default;
};

// Client -> server: [enabled]; server -> client: [enabled, reason].
struct SetClipboardEnabled {
  static constexpr std::string_view kType = "set-clipboard-enabled";
  bool enabled = true;
  std::optional<std::string> reason;
  Packet toPacket() const;
  static SetClipboardEnabled fromPacket(const Packet& p);
  bool operator==(const SetClipboardEnabled&) const = default;
};

}  // namespace rdk::protocol
