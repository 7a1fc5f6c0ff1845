// The server side of Xpra's challenge/response for the password modules (env, password, file,
// multifile): one pending challenge at a time, each answered once.
//
// Use one authenticator per connection attempt (as Xpra does): a second make_challenge while one
// is pending on the same object is refused rather than silently replacing the first client's salt.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "digest.h"
#include "failure_backoff.h"
#include "password_source.h"
#include "rdk/plugin.hpp"
#include "salt_cache.h"

namespace rdk::auth {

/// State shared by every authenticator of the plugin: replays and guessing span connections.
struct SharedAuthState {
  explicit SharedAuthState(size_t saltCacheSize) : usedSalts(saltCacheSize) {}
  SaltCache usedSalts;
  FailureBackoff backoff;
};

struct ChallengeLimits {
  size_t serverSaltBytes = 64;
  size_t minClientSaltBytes = 16;  // Xpra clients send 32
  size_t maxClientSaltBytes = 1024;
  size_t maxResponseBytes = 4096;
  std::chrono::seconds timeout{120};  // XPRA_CHALLENGE_TIMEOUT
};

class ChallengeAuthenticator : public Authenticator {
 public:
  ChallengeAuthenticator(std::string module, std::unique_ptr<PasswordSource> source,
                         std::string prompt, BackoffPolicy backoff, SharedAuthState& shared,
                         const Host& host);

  bool requiresChallenge() override { return true; }
  Challenge makeChallenge(const std::string& username, const std::string& clientDigests,
                          const std::string& clientSaltDigests, bool encryptedOrLocal) override;
  void authenticate(const std::string& username, rdk_bytes response, rdk_bytes clientSalt) override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    Bytes serverSalt;
    std::string digest;
    std::string saltDigest;
    std::string username;
    Clock::time_point issued;
  };
  /// Logs |detail|, waits the back-off for |username|, then throws RDK_E_AUTH.
  [[noreturn]] void fail(const std::string& username, const std::string& detail);

  const std::string module_;
  std::unique_ptr<PasswordSource> source_;
  const std::string prompt_;
  const BackoffPolicy backoff_;
  const ChallengeLimits limits_;
  SharedAuthState& shared_;
  const Host host_;
  std::optional<Pending> pending_;
};

}  // namespace rdk::auth
