#include "challenge_authenticator.h"

#include <algorithm>
#include <thread>

namespace rdk::auth {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "nothing" : out;
}

bool offersWeak(const std::vector<std::string>& offers) {
  return std::any_of(offers.begin(), offers.end(), [](const auto& d) { return isWeakDigest(d); });
}

}  // namespace

ChallengeAuthenticator::ChallengeAuthenticator(std::string module,
                                               std::unique_ptr<PasswordSource> source,
                                               std::string prompt, BackoffPolicy backoff,
                                               SharedAuthState& shared, const Host& host)
    : module_(std::move(module)),
      source_(std::move(source)),
      prompt_(std::move(prompt)),
      backoff_(backoff),
      shared_(shared),
      host_(host) {}

Challenge ChallengeAuthenticator::makeChallenge(const std::string& username,
                                                const std::string& clientDigests,
                                                const std::string& clientSaltDigests,
                                                bool encryptedOrLocal) {
  if (pending_ && Clock::now() - pending_->issued < limits_.timeout) {
    throw Error(RDK_E_INVALID_ARG,
                "a challenge is already pending on this authenticator; create one per connection");
  }
  // Xpra's server assumes "hmac" and "xor" when the client names nothing.
  std::vector<std::string> digests = splitList(clientDigests);
  if (digests.empty())
    digests = {"hmac"};
  std::vector<std::string> saltDigests = splitList(clientSaltDigests);
  if (saltDigests.empty())
    saltDigests = {"xor"};

  const std::optional<std::string> digest = chooseDigest(digests, encryptedOrLocal);
  if (!digest) {
    if (offersWeak(digests) && !encryptedOrLocal) {
      throw Error(RDK_E_AUTH, "authentication failed: the client only offers digests (" +
                                  joined(digests) +
                                  ") that reveal the password, refused on an unencrypted remote "
                                  "connection");
    }
    throw Error(RDK_E_AUTH, "authentication failed: no supported digest among " + joined(digests));
  }
  // xor and des as *salt* digests would let a client pick the combined salt: never accepted.
  const std::optional<std::string> saltDigest = chooseDigest(saltDigests, false);
  if (!saltDigest) {
    throw Error(RDK_E_AUTH, "authentication failed: insecure or unknown salt digest (" +
                                joined(saltDigests) + ") rejected");
  }
  Pending pending{randomBytes(limits_.serverSaltBytes), *digest, *saltDigest, username,
                  Clock::now()};
  Challenge challenge;
  challenge.salt = pending.serverSalt;
  challenge.digest = pending.digest;
  challenge.saltDigest = pending.saltDigest;
  challenge.prompt = prompt_;
  pending_ = std::move(pending);
  return challenge;
}

void ChallengeAuthenticator::authenticate(const std::string& username, rdk_bytes response,
                                          rdk_bytes clientSalt) {
  if (!pending_)
    fail(username, "no challenge was sent (or it was already answered)");
  // Each challenge is answered once, right or wrong.
  const Pending pending = std::move(*pending_);
  pending_.reset();
  if (Clock::now() - pending.issued > limits_.timeout)
    fail(username, "the challenge expired");
  if (username != pending.username) {
    fail(username, "the username changed between challenge and response");
  }
  if (clientSalt.size < limits_.minClientSaltBytes) {
    fail(username, "client salt too short (" + std::to_string(clientSalt.size) + " bytes)");
  }
  if (clientSalt.size > limits_.maxClientSaltBytes)
    fail(username, "client salt too long");
  if (response.size == 0)
    fail(username, "empty challenge response");
  if (response.size > limits_.maxResponseBytes)
    fail(username, "challenge response too long");

  const Bytes combinedSalt = computeDigest(
      pending.saltDigest, ByteView(clientSalt.data, clientSalt.size), pending.serverSalt);
  if (!shared_.usedSalts.insertIfNew(combinedSalt)) {
    fail(username, "replayed response: this combined salt was already used");
  }

  std::string why;
  const std::optional<std::string> password = source_->passwordFor(username, why);
  // Without a password, still compute a digest so an unknown user costs the same time.
  const Bytes secret = password ? Bytes(password->begin(), password->end()) : randomBytes(16);
  const Bytes expected = computeDigest(pending.digest, secret, combinedSalt);
  const bool match = constantTimeEquals(expected, ByteView(response.data, response.size));
  if (!password)
    fail(username, why);
  if (!match)
    fail(username, "wrong password for user '" + username + "' (" + pending.digest + ")");
  shared_.backoff.recordSuccess(username);
  host_.log(RDK_LOG_INFO,
            module_ + " authentication passed for user '" + username + "' using " + pending.digest);
}

void ChallengeAuthenticator::fail(const std::string& username, const std::string& detail) {
  const std::chrono::milliseconds delay = shared_.backoff.recordFailure(username, backoff_);
  host_.log(RDK_LOG_WARNING, module_ + " authentication failed for user '" + username + "': " +
                                 detail + " (delayed " + std::to_string(delay.count()) + " ms)");
  if (delay.count() > 0)
    std::this_thread::sleep_for(delay);
  throw Error(RDK_E_AUTH, "authentication failed: " + detail);
}

}  // namespace rdk::auth
