// The client's input to the server: keys, buttons and pointer motion from the native display
// (window coordinates turned into root coordinates), or a synthetic script (the demo): pointer
// motion every 250 ms across the first normal window, a key every 2 s, a click in between.
// Motion is droppable and superseded by newer motion.
#pragma once

#include <cstdint>

#include "rdk/plugin_abi.h"
#include "rdk/session/client_window_mirror.h"
#include "rdk/session/handler_interfaces.h"

namespace rdk::session {

class InputForwarder {
 public:
  static constexpr uint64_t kSyntheticIntervalUs = 250'000;
  /// The supersede key of pointer-position packets.
  static constexpr uint64_t kMotionKey = 0x9017E4ull;

  InputForwarder(PacketSink& sink, const WindowMirror& windows) : sink_(sink), windows_(windows) {}

  /// One step of the synthetic script when it is due.
  void synthetic(uint64_t nowUs);
  /// An event of the native display (window coordinates).
  void local(const rdk_input_event& event);

 private:
  PacketSink& sink_;
  const WindowMirror& windows_;
  uint64_t nextUs_ = 0;
  uint64_t step_ = 0;
};

}  // namespace rdk::session
