// Why the server turned something away, counted for operators (/metrics: rdk_refusals_total).
// The reasons are a closed set so that a dashboard's queries never meet a label made up from peer
// input, and each is counted where the refusal is decided (accept threads, the loop). Lock-free:
// the accept threads of every transport count here while the loop publishes.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace rdk::session {

enum class Refusal : size_t {
  ConnectionLimit,    // every slot (clients, pending, refusing) taken at accept
  PendingTotal,       // too many connections waiting to authenticate
  PendingPerAddress,  // too many of them from one address
  HelloTimeout,       // no hello within server.hello-timeout
  LoginTimeout,       // authentication not completed in time, or silent before it
  PreAuthPackets,     // more packets than a login needs before authenticating
  ProtocolError,      // a malformed packet or stream before authenticating
  VersionError,       // no usable version in the hello
  AuthFailed,         // wrong credentials or no digest both sides accept
  NoCommonEncoding,   // authenticated, but nothing to draw with
  MaxClients,         // authenticated, but server.max-clients are logged in
  WindowCount,        // a window past server.max-windows
  WindowSize,         // a window larger than server.max-window-size
};
inline constexpr size_t kRefusalReasons = static_cast<size_t>(Refusal::WindowSize) + 1;

/// The label value of |reason| ("connection-limit", ...).
const char* refusalName(Refusal reason);

class RefusalCounters {
 public:
  void count(Refusal reason) { counts_[static_cast<size_t>(reason)].fetch_add(1); }
  uint64_t get(Refusal reason) const { return counts_[static_cast<size_t>(reason)].load(); }
  std::array<uint64_t, kRefusalReasons> snapshot() const;

 private:
  std::array<std::atomic<uint64_t>, kRefusalReasons> counts_{};
};

}  // namespace rdk::session
