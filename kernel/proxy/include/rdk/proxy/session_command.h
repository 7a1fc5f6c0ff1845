// The command line of a user's session, shared by the launchers: `rdkernel serve` or `rdkernel
// start` bound to |bindUrl|, accepting only the proxy (challenge auth with the token it finds in
// RDK_PROXY_TOKEN), with the user's settings from the users file.
#pragma once

#include <string>
#include <vector>

#include "rdk/proxy/users_file.h"

namespace rdk::proxy {

inline constexpr const char* kTokenVariable = "RDK_PROXY_TOKEN";
/// The user's own password, for the session's udp bind: over UDP the client answers the
/// session's challenge itself (the proxy only routes datagrams, see udp_router.h).
inline constexpr const char* kPasswordVariable = "RDK_PROXY_PASSWORD";

/// |program| is the rdkernel executable; |extraArgs| go right after it (e.g. --config FILE).
/// A non-empty |udpBindUrl| adds that bind, authenticated with the user's password; a non-empty
/// |wsBindUrl| a ws bind for the proxy's WebSocket clients, authenticated with the token as tcp.
std::vector<std::string> sessionCommand(const std::string& program,
                                        const std::vector<std::string>& extraArgs,
                                        const UserEntry& user, const std::string& bindUrl,
                                        const std::string& udpBindUrl = "",
                                        const std::string& wsBindUrl = "");

/// "name=value" entries for the session's environment besides the inherited one: the token and
/// the user's env options (and the user's password when |withPassword|, for a udp bind).
std::vector<std::string> sessionEnvironment(const UserEntry& user, const std::string& token,
                                            bool withPassword = false);

/// The port in a "listening on SCHEME://HOST:PORT" line of |output|, 0 when there is none.
int listeningPort(const std::string& output, const std::string& scheme = "tcp");

}  // namespace rdk::proxy
