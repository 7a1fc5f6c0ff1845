#include "rdk/session/window_quota.h"

namespace rdk::session {

std::optional<std::string> WindowQuota::tooLarge(uint32_t width, uint32_t height) const {
  if (width <= maxSide_ && height <= maxSide_)
    return std::nullopt;
  return std::to_string(width) + "x" + std::to_string(height) +
         " is larger than server.max-window-size (" + std::to_string(maxSide_) + ")";
}

void WindowQuota::refused(Refusal reason) {
  ++refused_;
  if (counters_)
    counters_->count(reason);
}

std::optional<std::string> WindowQuota::admit(uint64_t wid, uint32_t width, uint32_t height) {
  if (shown(wid))
    return std::nullopt;  // a platform that announces a window twice gets it once
  if (auto why = tooLarge(width, height)) {
    refused(Refusal::WindowSize);
    return why;
  }
  if (shown_.size() >= maxWindows_) {
    refused(Refusal::WindowCount);
    return "the session already shows server.max-windows (" + std::to_string(maxWindows_) +
           ") windows";
  }
  shown_.insert(wid);
  return std::nullopt;
}

std::optional<std::string> WindowQuota::resize(uint64_t wid, uint32_t width, uint32_t height) {
  if (!shown(wid))
    return std::nullopt;
  auto why = tooLarge(width, height);
  if (why) {
    shown_.erase(wid);
    refused(Refusal::WindowSize);
  }
  return why;
}

}  // namespace rdk::session
