#include "rdk/session/challenge_answer.h"

#include "rdk/kernel/plugin_objects.h"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::session {

bool answerChallenge(plugin::Registry& registry, const protocol::Challenge& challenge,
                     const std::string& password, std::string* response, std::string* clientSalt,
                     std::string* error) {
  if (password.empty()) {
    *error = "the server requires a password (use --password-file)";
    return false;
  }
  std::string why;
  plugin::LoadedPlugin* auth =
      registry.select(plugin::Kind::Auth, "digest:" + challenge.digest, &why);
  if (!auth) {
    *error = "cannot answer the server's '" + challenge.digest + "' challenge: " + why;
    return false;
  }
  return plugin::respondToChallenge(*auth, challenge.digest, challenge.saltDigest, challenge.salt,
                                    password, response, clientSalt, error);
}

bool answerChallenge(plugin::Registry& registry, const protocol::Packet& challenge,
                     const std::string& password, std::string* response, std::string* clientSalt,
                     std::string* error) {
  try {
    return answerChallenge(registry, protocol::Challenge::fromPacket(challenge), password, response,
                           clientSalt, error);
  } catch (const protocol::ProtocolError& e) {
    *error = std::string("malformed challenge from the server: ") + e.what();
    return false;
  }
}

}  // namespace rdk::session
