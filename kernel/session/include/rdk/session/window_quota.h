// Which of the desktop's windows a session shows: at most server.max-windows of them, none wider
// or taller than server.max-window-size. Every window costs the client a surface and the server
// an encoder and damage state, so a desktop that opens thousands (or one absurdly large) must not
// take a session down; the windows past the limits are simply not shown, and said so in the log.
// No clocks, sockets or desktop inside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "rdk/session/refusal_counters.h"

namespace rdk::session {

class WindowQuota {
 public:
  /// Refusals are also counted in |counters| when given (the server's, for /metrics).
  WindowQuota(size_t maxWindows, uint32_t maxSide, RefusalCounters* counters = nullptr)
      : maxWindows_(maxWindows), maxSide_(maxSide), counters_(counters) {}

  /// A new window of |width| x |height|: nullopt when it is shown (and counted), else why not.
  std::optional<std::string> admit(uint64_t wid, uint32_t width, uint32_t height);
  /// A shown window changed size: nullopt when it stays shown, else why it stops being shown
  /// (then it is no longer counted).
  std::optional<std::string> resize(uint64_t wid, uint32_t width, uint32_t height);
  bool shown(uint64_t wid) const { return shown_.count(wid) != 0; }
  /// The window went away: its place is free.
  void remove(uint64_t wid) { shown_.erase(wid); }
  size_t count() const { return shown_.size(); }
  /// Windows refused or withdrawn so far.
  uint64_t refused() const { return refused_; }

 private:
  std::optional<std::string> tooLarge(uint32_t width, uint32_t height) const;
  void refused(Refusal reason);

  const size_t maxWindows_;
  const uint32_t maxSide_;
  RefusalCounters* const counters_;
  std::set<uint64_t> shown_;
  uint64_t refused_ = 0;
};

}  // namespace rdk::session
