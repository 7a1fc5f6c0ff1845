// The local end of the clipboard: the X selections of a display (the x11 platform), or a test
// double. ClipboardCore drives it; it answers through ClipboardCore's on* calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rdk::clipboard {

// Contents of one selection target. type "ATOM" (target TARGETS) carries target names, one per
// line, in |bytes|; every other type carries its bytes as they are (format 8).
struct ClipboardData {
  std::string type;
  int format = 8;
  std::string bytes;
  bool operator==(const ClipboardData&) const = default;
};

class LocalClipboard {
 public:
  virtual ~LocalClipboard() = default;
  // The peer owns |selection| now: own it locally and serve requests through onLocalRequest.
  // |targets| may be empty (the peer did not say; a TARGETS request will ask it).
  virtual void claim(const std::string& selection, const std::vector<std::string>& targets) = 0;
  // Fetch |target| of the local owner of |selection|; answer with onLocalContents(|id|, ...).
  virtual void convert(uint32_t id, const std::string& selection, const std::string& target) = 0;
  // Answer local request |id| (from onLocalRequest); nullopt: no data.
  virtual void reply(uint32_t id, const std::optional<ClipboardData>& data) = 0;
};

}  // namespace rdk::clipboard
