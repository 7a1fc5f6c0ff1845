// Stops two ends from ping-ponging tokens: a clipboard manager on either side that grabs every
// selection it sees makes each token answer the last. A token we are about to send within
// |echoWindowUs| of receiving one for the same selection is an echo; |maxEchoes| echoes in a row
// disable that selection until the peer reconnects (Xpra disables the clipboard on a loop too).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rdk::clipboard {

class LoopGuard {
 public:
  explicit LoopGuard(uint64_t echoWindowUs = 500'000, int maxEchoes = 4)
      : echoWindowUs_(echoWindowUs), maxEchoes_(maxEchoes) {}

  void tokenReceived(const std::string& selection, uint64_t nowUs);
  // Whether a token for |selection| may go out now; false once the selection is looping.
  bool allowSend(const std::string& selection, uint64_t nowUs);
  bool looping(const std::string& selection) const;
  void reset();

 private:
  struct State {
    uint64_t lastReceivedUs = 0;
    bool received = false;
    int echoes = 0;
    bool looping = false;
  };
  uint64_t echoWindowUs_;
  int maxEchoes_;
  std::map<std::string, State> states_;
};

}  // namespace rdk::clipboard
