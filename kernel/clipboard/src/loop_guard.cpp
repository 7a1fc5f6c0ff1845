#include "rdk/clipboard/loop_guard.h"

namespace rdk::clipboard {

void LoopGuard::tokenReceived(const std::string& selection, uint64_t nowUs) {
  State& s = states_[selection];
  s.lastReceivedUs = nowUs;
  s.received = true;
}

bool LoopGuard::allowSend(const std::string& selection, uint64_t nowUs) {
  State& s = states_[selection];
  if (s.looping)
    return false;
  if (s.received && nowUs - s.lastReceivedUs < echoWindowUs_) {
    if (++s.echoes >= maxEchoes_) {
      s.looping = true;
      return false;
    }
  } else {
    s.echoes = 0;
  }
  return true;
}

bool LoopGuard::looping(const std::string& selection) const {
  auto it = states_.find(selection);
  return it != states_.end() && it->second.looping;
}

void LoopGuard::reset() {
  states_.clear();
}

}  // namespace rdk::clipboard
