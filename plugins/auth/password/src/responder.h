// The client side of Xpra's challenge/response (client_base.py send_challenge_reply).
#pragma once

#include "digest.h"
#include "rdk/plugin.hpp"

namespace rdk::auth {

/// (challenge_response, challenge_client_salt) for a server challenge. |digest| may carry a
/// ":service" suffix (ignored, as Xpra does). Refuses xor/des salt digests and salts outside
/// 16..1024 bytes. The caller must refuse an "xor" or "des" |digest| on an unencrypted remote
/// connection before calling this (Xpra's validate_challenge_packet): it cannot see the connection.
ChallengeResponse respondToChallenge(const std::string& digest, const std::string& saltDigest,
                                     ByteView serverSalt, ByteView password);

}  // namespace rdk::auth
