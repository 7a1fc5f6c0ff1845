// The client side of Xpra's challenge: pick the auth plugin that provides the server's digest
// ("digest:<name>") and compute (challenge_response, challenge_client_salt).
#pragma once

#include <string>

#include "rdk/protocol/messages/core.h"
#include "rdk/protocol/value.h"

namespace rdk::plugin {
class Registry;
}

namespace rdk::session {

/// False with a reason in |error| when no password is set or no plugin answers the digest.
bool answerChallenge(plugin::Registry& registry, const protocol::Challenge& challenge,
                     const std::string& password, std::string* response, std::string* clientSalt,
                     std::string* error);

/// The same from the packet ["challenge", salt, auth_caps, digest, salt_digest, prompt]; a
/// malformed one fails with the typed layer's reason.
bool answerChallenge(plugin::Registry& registry, const protocol::Packet& challenge,
                     const std::string& password, std::string* response, std::string* clientSalt,
                     std::string* error);

}  // namespace rdk::session
