// The narrow interfaces packet handlers take instead of a connection and the system clock, so
// that they run in unit tests without sockets: a sink for the packets they send, and a clock.
#pragma once

#include <cstdint>

#include "rdk/base/clock.h"
#include "rdk/protocol/message.h"
#include "rdk/protocol/value.h"
#include "rdk/session/packet_channel.h"

namespace rdk::session {

/// Where a handler's packets go.
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  /// False when the packet could not be queued (no connection, closed, droppable dropped).
  virtual bool sendPacket(const protocol::Packet& packet, Delivery delivery,
                          uint64_t supersedeKey) = 0;
  /// Sends a typed message (rdk/protocol/messages).
  template <protocol::Message M>
  bool send(const M& message, Delivery delivery = Delivery::Reliable, uint64_t supersedeKey = 0) {
    return sendPacket(message.toPacket(), delivery, supersedeKey);
  }
};

/// A PacketSink over a PacketChannel that may come later (or go): nothing is sent without one.
class ChannelPacketSink final : public PacketSink {
 public:
  explicit ChannelPacketSink(PacketChannel* channel = nullptr) : channel_(channel) {}
  void setChannel(PacketChannel* channel) { channel_ = channel; }
  bool sendPacket(const protocol::Packet& packet, Delivery delivery,
                  uint64_t supersedeKey) override {
    return channel_ && channel_->send(packet, delivery, supersedeKey);
  }

 private:
  PacketChannel* channel_;
};

/// Monotonic microseconds.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t nowUs() const = 0;
};

/// steady_clock, as monotonicUs() (and the host API's now_us).
class MonotonicClock final : public Clock {
 public:
  uint64_t nowUs() const override { return monotonicUs(); }
};

/// The time a loop read once for its pass: handlers of one pass agree on "now".
class LoopTimeClock final : public Clock {
 public:
  explicit LoopTimeClock(const uint64_t& nowUs) : nowUs_(nowUs) {}
  uint64_t nowUs() const override { return nowUs_; }

 private:
  const uint64_t& nowUs_;
};

}  // namespace rdk::session
