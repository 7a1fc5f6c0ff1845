// udp://host:port parsing and address formatting.
#pragma once

#include <string>

#include "peer_address.hpp"

namespace rdk::udp {

/// Resolves "scheme://host:port" (host may be "[v6]"); throws rdk::Error(INVALID_ARG/UNSUPPORTED).
PeerAddress resolveUrl(const std::string& url, const std::string& scheme, bool passive);
/// "scheme://1.2.3.4:5678" or "scheme://[::1]:5678".
std::string formatPeer(const std::string& scheme, const PeerAddress& a);
/// The unspecified address of |family| with port 0 (a client's local side).
PeerAddress anyAddress(int family);

}  // namespace rdk::udp
