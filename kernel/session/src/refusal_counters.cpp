#include "rdk/session/refusal_counters.h"

namespace rdk::session {

const char* refusalName(Refusal reason) {
  switch (reason) {
    case Refusal::ConnectionLimit:
      return "connection-limit";
    case Refusal::PendingTotal:
      return "pending-total";
    case Refusal::PendingPerAddress:
      return "pending-per-address";
    case Refusal::HelloTimeout:
      return "hello-timeout";
    case Refusal::LoginTimeout:
      return "login-timeout";
    case Refusal::PreAuthPackets:
      return "pre-auth-packets";
    case Refusal::ProtocolError:
      return "protocol-error";
    case Refusal::VersionError:
      return "version-error";
    case Refusal::AuthFailed:
      return "auth-failed";
    case Refusal::NoCommonEncoding:
      return "no-common-encoding";
    case Refusal::MaxClients:
      return "max-clients";
    case Refusal::WindowCount:
      return "window-count";
    case Refusal::WindowSize:
      return "window-size";
  }
  return "unknown";  // unreachable: every enumerator is named above (-Wswitch checks it)
}

std::array<uint64_t, kRefusalReasons> RefusalCounters::snapshot() const {
  std::array<uint64_t, kRefusalReasons> out{};
  for (size_t i = 0; i < kRefusalReasons; ++i)
    out[i] = counts_[i].load();
  return out;
}

}  // namespace rdk::session
