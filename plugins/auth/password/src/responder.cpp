#include "responder.h"

#include <algorithm>

namespace rdk::auth {

ChallengeResponse respondToChallenge(const std::string& digest, const std::string& saltDigest,
                                     ByteView serverSalt, ByteView password) {
  const std::string actualDigest = digest.substr(0, digest.find(':'));
  const auto& known = knownDigests();
  if (std::find(known.begin(), known.end(), actualDigest) == known.end()) {
    throw Error(RDK_E_UNSUPPORTED, "server requested digest '" + digest + "', not supported");
  }
  // An old server that names no salt digest means xor (Xpra's default), which we refuse.
  const std::string actualSaltDigest = saltDigest.empty() ? "xor" : saltDigest;
  if (chooseDigest({actualSaltDigest}, false) != actualSaltDigest) {
    throw Error(RDK_E_AUTH, "server uses an insecure or unknown salt digest '" + actualSaltDigest +
                                "', refused");
  }
  if (serverSalt.size() < 16) {
    throw Error(RDK_E_AUTH, "server salt is too short: " + std::to_string(serverSalt.size()) +
                                " bytes, minimum is 16");
  }
  if (serverSalt.size() > 1024)
    throw Error(RDK_E_AUTH, "server salt is too long");
  if (password.empty())
    throw Error(RDK_E_INVALID_ARG, "no password available for the challenge");

  ChallengeResponse out;
  out.clientSalt = randomBytes(32);
  const Bytes combinedSalt = computeDigest(actualSaltDigest, out.clientSalt, serverSalt);
  out.response = computeDigest(actualDigest, password, combinedSalt);
  return out;
}

}  // namespace rdk::auth
