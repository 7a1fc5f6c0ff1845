// The command line of a user's session, shared by the launchers: `rdkernel serve` or `rdkernel
// start` bound to |bindUrl|, accepting only the proxy (challenge auth with the token it finds in
// RDK_PROXY_TOKEN), with the user's settings from the users file.
#pragma once

#include <string>
#include <vector>

#include "rdk/proxy/users_file.h"

namespace rdk::proxy {

inline constexpr const char* kTokenVariable = "RDK_PROXY_TOKEN";

/// |program| is the rdkernel executable; |extraArgs| go right after it (e.g. --config FILE).
std::vector<std::string> sessionCommand(const std::string& program,
                                        const std::vector<std::string>& extraArgs,
                                        const UserEntry& user, const std::string& bindUrl);

/// "name=value" entries for the session's environment besides the inherited one: the token and
/// the user's env options.
std::vector<std::string> sessionEnvironment(const UserEntry& user, const std::string& token);

/// The tcp port in a "listening on tcp://HOST:PORT" line of |output|, 0 when there is none.
int listeningPort(const std::string& output);

}  // namespace rdk::proxy
