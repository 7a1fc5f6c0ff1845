// Typed dispatch of received packets: each packet type is parsed once, with its message's
// fromPacket, and handed to the one handler registered for it.
//
//   MessageDispatcher d;
//   d.on<Ping>([&](const Ping& p) { sink.send(PingEcho{p.timeMs, ...}); });
//   d.ignore<SetDeflate>();                    // parsed (so checked), then dropped
//   d.onUnknown([](std::string_view type, const Packet&) { log("unknown packet", type); });
//   d.dispatch(packet);  // true: handled; false: no handler for the type
//
// A packet whose layout its message rejects raises that message's ProtocolError, which names
// the packet, the field and its index ("draw: field 'wid' (1): expected int, got list"); the
// caller decides what a malformed packet costs. A type without a handler is counted and reported
// to the onUnknown callback the first time only, under a bounded printable name: type names come
// from the peer, so neither the log nor the statistics can be flooded by inventing names.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rdk/protocol/message.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {

/// Counts names chosen by a peer (packet types) in bounded memory: at most |maxNames| entries,
/// names of at most |maxNameBytes| printable bytes each (others as '?', longer ones cut with
/// "..."); when only one entry is left, new names are all counted under "(other)".
class TypeNameCounter {
 public:
  static constexpr std::string_view kOverflowName = "(other)";
  explicit TypeNameCounter(size_t maxNames = 32, size_t maxNameBytes = 40)
      : maxNames_(maxNames), maxNameBytes_(maxNameBytes) {}

  /// Counts |type|. Returns its printable name when that name is counted for the first time
  /// (so the caller logs it once), nullopt afterwards.
  std::optional<std::string> add(std::string_view type);
  const std::map<std::string, uint64_t, std::less<>>& counts() const { return counts_; }
  uint64_t total() const { return total_; }
  /// |type| with non-printable bytes as '?' and cut after |maxBytes| bytes with "...".
  static std::string printable(std::string_view type, size_t maxBytes = 40);

 private:
  size_t maxNames_;
  size_t maxNameBytes_;
  uint64_t total_ = 0;
  std::map<std::string, uint64_t, std::less<>> counts_;
};

class MessageDispatcher {
 public:
  /// |type| is the printable, bounded form of the packet's type.
  using UnknownHandler = std::function<void(std::string_view type, const Packet& packet)>;

  /// Registers |handler| for M::kType, replacing any earlier one. |handler| is called with the
  /// parsed M (as `const M&`, `M&&` or `M`).
  template <Message M, class F>
  requires std::invocable<F&, M&&>
  void on(F&& handler) {
    handlers_.insert_or_assign(std::string(M::kType),
                               [h = std::forward<F>(handler)](const Packet& packet) mutable {
                                 std::invoke(h, M::fromPacket(packet));
                               });
  }
  /// Packets of type M are parsed (a malformed one still raises ProtocolError) and dropped.
  template <Message M>
  void ignore() {
    on<M>([](const M&) {});
  }
  /// Called the first time each unknown type (by printable name) arrives.
  void onUnknown(UnknownHandler handler) { onUnknown_ = std::move(handler); }

  /// Parses and hands |packet| to its handler: true. False when no handler is registered for
  /// its type. Throws ProtocolError when the packet has no type or its message rejects it; a
  /// handler's exception propagates unchanged.
  bool dispatch(const Packet& packet);

  bool handles(std::string_view type) const { return handlers_.find(type) != handlers_.end(); }
  /// The registered types, sorted.
  std::vector<std::string> types() const;
  /// Every packet that found no handler, per printable type name.
  const TypeNameCounter& unknown() const { return unknown_; }
  /// The type of |packet|, or ProtocolError when it has none (empty, or not bytes).
  static const std::string& typeOf(const Packet& packet);

 private:
  std::map<std::string, std::function<void(const Packet&)>, std::less<>> handlers_;
  UnknownHandler onUnknown_;
  TypeNameCounter unknown_;
};

}  // namespace rdk::protocol
