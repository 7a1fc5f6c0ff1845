#include "rdk/session/challenge_answer.h"

#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/plugin_objects.h"

namespace rdk::session {

bool answerChallenge(plugin::Registry& registry, const protocol::Packet& challenge,
                     const std::string& password, std::string* response, std::string* clientSalt,
                     std::string* error) {
  if (challenge.size() < 5 || !challenge[1].isBytes() || !challenge[3].isBytes()) {
    *error = "malformed challenge from the server";
    return false;
  }
  if (password.empty()) {
    *error = "the server requires a password (use --password-file)";
    return false;
  }
  const std::string digest = challenge[3].asBytes();
  const std::string saltDigest = challenge[4].isBytes() ? challenge[4].asBytes() : "";
  std::string why;
  plugin::LoadedPlugin* auth = registry.select(plugin::Kind::Auth, "digest:" + digest, &why);
  if (!auth) {
    *error = "cannot answer the server's '" + digest + "' challenge: " + why;
    return false;
  }
  return respondToChallenge(*auth, digest, saltDigest, challenge[1].asBytes(), password, response,
                            clientSalt, error);
}

}  // namespace rdk::session
