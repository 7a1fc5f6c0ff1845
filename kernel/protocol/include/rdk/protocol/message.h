// What every typed message (rdk/protocol/messages/*.h) provides: its packet type, its packet
// layout and a parser that names the bad field. Used by MessageDispatcher and the typed sends.
#pragma once

#include <concepts>
#include <string_view>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

template <class M>
concept Message = requires(const M& message, const Packet& packet) {
  { M::kType } -> std::convertible_to<std::string_view>;
  { message.toPacket() } -> std::same_as<Packet>;
  { M::fromPacket(packet) } -> std::same_as<M>;
};

}  // namespace rdk::protocol
