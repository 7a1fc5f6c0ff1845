// Peer addresses as the session layer limits them: the host of a transport's peer text, and the
// key that per-address limits count under.
#pragma once

#include <string>

namespace rdk::session {

/// The host part of a transport peer text ("tcp://127.0.0.1:5000" -> "127.0.0.1",
/// "udp://[::1]:5000" -> "::1").
std::string peerHost(const std::string& peer);

/// What per-address limits count under: the IPv4 address, or the /64 prefix of an IPv6 address
/// (one subscriber usually holds a whole /64, so counting single IPv6 addresses would give one
/// attacker 2^64 budgets). IPv4-mapped IPv6 addresses count as their IPv4 address. Anything
/// unparsable counts as itself.
std::string addressKey(const std::string& peer);

/// Loopback peers (127.0.0.0/8, ::1).
bool isLoopbackPeer(const std::string& peer);

}  // namespace rdk::session
