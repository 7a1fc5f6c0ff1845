#include "PasswordAuthTest.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth_test_util.h"

CPPUNIT_TEST_SUITE_REGISTRATION(PasswordAuthTest);

using rdk::test::hexOf;
using rdk::test::LoadedTestPlugin;
using rdk::test::PluginAuthenticator;
using rdk::test::unhex;
using rdk::test::xpraDigest;

namespace {

// No back-off unless a test asks for it, so failures stay fast.
const std::string kNoDelay = R"("failure_delay_ms":"0")";

LoadedTestPlugin& passwordPlugin() {
  static LoadedTestPlugin plugin("auth-password");
  return plugin;
}

struct XpraReply {
  std::vector<uint8_t> clientSalt;
  std::vector<uint8_t> response;
};

// What a stock Xpra 3.1.3 client sends back for this challenge and password.
XpraReply xpraClientReply(const PluginAuthenticator::Result& c, const std::string& password) {
  std::istringstream out(xpraDigest("respond " + c.digest + " " + c.saltDigest + " " +
                                    hexOf(c.salt) + " " + hexOf(password)));
  std::string saltHex, responseHex;
  out >> saltHex >> responseHex;
  return {unhex(saltHex), unhex(responseHex)};
}

}  // namespace

void PasswordAuthTest::setUp() {
  char pattern[] = "/tmp/rdk-auth-test-XXXXXX";
  const char* made = mkdtemp(pattern);
  CPPUNIT_ASSERT(made != nullptr);
  dir_ = made;
}

void PasswordAuthTest::tearDown() {
  std::filesystem::remove_all(dir_);
}

std::string PasswordAuthTest::writeFile(const std::string& name, const std::string& content) {
  const std::string path = dir_ + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

void PasswordAuthTest::testRightPasswordFromXpraClientPasses() {
  const std::string file = writeFile("pw", "s3cret");
  PluginAuthenticator auth(passwordPlugin(), "file", R"({"filename":")" + file + "\"}");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, auth.createStatus());
  CPPUNIT_ASSERT(auth.requiresChallenge());
  // What a 3.1.3 GTK client offers (verified live in the protocol notes).
  auto c = auth.challenge("alice", "hmac+sha256,xor", "hmac+sha256,xor", false);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, c.status);
  CPPUNIT_ASSERT_EQUAL(size_t(64), c.salt.size());
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha256"), c.digest);
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha256"), c.saltDigest);
  CPPUNIT_ASSERT_EQUAL(std::string("password"), c.prompt);
  const XpraReply reply = xpraClientReply(c, "s3cret");
  CPPUNIT_ASSERT_EQUAL(size_t(32), reply.clientSalt.size());
  CPPUNIT_ASSERT_EQUAL_MESSAGE(auth.lastError(), RDK_OK,
                               auth.authenticate("alice", reply.response, reply.clientSalt));
}

void PasswordAuthTest::testEveryDigestFromXpraClientPasses() {
  const std::string file = writeFile("pw", "another password");
  for (const std::string digest : {"hmac+sha512", "hmac+sha384", "hmac+sha256", "hmac+sha224",
                                   "hmac+sha1", "hmac+md5", "hmac", "xor", "des"}) {
    for (const std::string saltDigest : {"hmac+sha256", "hmac+sha512", "hmac"}) {
      PluginAuthenticator auth(passwordPlugin(), "file",
                               R"({"filename":")" + file + "\"," + kNoDelay + "}");
      // xor and des are only offered by the server on encrypted or local connections.
      auto c = auth.challenge("bob", digest, saltDigest, true);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(auth.lastError(), RDK_OK, c.status);
      CPPUNIT_ASSERT_EQUAL(digest, c.digest);
      CPPUNIT_ASSERT_EQUAL(saltDigest, c.saltDigest);
      const XpraReply reply = xpraClientReply(c, "another password");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(digest + "/" + saltDigest + ": " + auth.lastError(), RDK_OK,
                                   auth.authenticate("bob", reply.response, reply.clientSalt));
    }
  }
}

void PasswordAuthTest::testResponderMatchesXpraComputation() {
  for (const std::string digest : {"hmac+sha256", "hmac+sha512", "hmac+sha384", "xor", "des"}) {
    const std::vector<uint8_t> serverSalt = unhex(std::string(128, 'a'));
    std::vector<uint8_t> response, clientSalt;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, rdk::test::pluginRespond(passwordPlugin(), digest, "hmac+sha256",
                                                          serverSalt, "pw!", response, clientSalt));
    CPPUNIT_ASSERT_EQUAL(size_t(32), clientSalt.size());
    // Recompute as Xpra's server does: combined salt, then the digest of the password.
    const std::string combinedHex =
        xpraDigest("gendigest hmac+sha256 " + hexOf(clientSalt) + " " + hexOf(serverSalt));
    const std::string expected =
        xpraDigest("gendigest " + digest + " " + hexOf(std::string("pw!")) + " " + combinedHex);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(digest, expected, hexOf(response));
  }
  // The responder feature a kernel selects is "digest:<name>"; every known digest has one.
  const std::string features = passwordPlugin().descriptor()->features_json;
  CPPUNIT_ASSERT(features.find("\"digest:hmac+sha256\"") != std::string::npos);
  CPPUNIT_ASSERT(features.find("\"digest:des\"") != std::string::npos);
}

void PasswordAuthTest::testWrongPasswordFails() {
  const std::string file = writeFile("pw", "right");
  PluginAuthenticator auth(passwordPlugin(), "file",
                           R"({"filename":")" + file + "\"," + kNoDelay + "}");
  auto c = auth.challenge("alice", "hmac+sha256", "hmac+sha256", false);
  const XpraReply reply = xpraClientReply(c, "wrong");
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("alice", reply.response, reply.clientSalt));
  CPPUNIT_ASSERT(auth.lastError().rfind("authentication failed", 0) == 0);
  CPPUNIT_ASSERT(auth.lastError().find("wrong password") != std::string::npos);
}

void PasswordAuthTest::testMultifileUsers() {
  const std::string file =
      writeFile("users", "# comment\n\nalice|apw\nbob|bpw|1000|1000|:10,:11|\nbroken line\n");
  for (const auto& [user, password] : {std::pair{"alice", "apw"}, std::pair{"bob", "bpw"}}) {
    PluginAuthenticator auth(passwordPlugin(), "multifile",
                             R"({"filename":")" + file + "\"," + kNoDelay + "}");
    auto c = auth.challenge(user, "hmac+sha512", "hmac+sha512", false);
    const XpraReply reply = xpraClientReply(c, password);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(auth.lastError(), RDK_OK,
                                 auth.authenticate(user, reply.response, reply.clientSalt));
  }
  // Alice's password does not open Bob's account.
  PluginAuthenticator auth(passwordPlugin(), "multifile",
                           R"({"filename":")" + file + "\"," + kNoDelay + "}");
  auto c = auth.challenge("bob", "hmac+sha512", "hmac+sha512", false);
  const XpraReply reply = xpraClientReply(c, "apw");
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("bob", reply.response, reply.clientSalt));
}

void PasswordAuthTest::testUnknownUserFails() {
  const std::string file = writeFile("users", "alice|apw\n");
  PluginAuthenticator auth(passwordPlugin(), "multifile",
                           R"({"filename":")" + file + "\"," + kNoDelay + "}");
  auto c = auth.challenge("mallory", "hmac+sha256", "hmac+sha256", false);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, c.status);  // no hint that the user does not exist
  const XpraReply reply = xpraClientReply(c, "apw");
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("mallory", reply.response, reply.clientSalt));
  CPPUNIT_ASSERT(auth.lastError().find("no password for user 'mallory'") != std::string::npos);
}

void PasswordAuthTest::testReplayedResponseFails() {
  const std::string file = writeFile("pw", "pw");
  const std::string options = R"({"filename":")" + file + "\"," + kNoDelay + "}";
  PluginAuthenticator auth(passwordPlugin(), "file", options);
  auto c = auth.challenge("u", "hmac+sha256", "hmac+sha256", false);
  const XpraReply reply = xpraClientReply(c, "pw");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, auth.authenticate("u", reply.response, reply.clientSalt));
  // The same reply again, on the same authenticator: the challenge was consumed.
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("u", reply.response, reply.clientSalt));
  CPPUNIT_ASSERT(auth.lastError().find("no challenge") != std::string::npos);
  // ... and against a fresh challenge (a sniffed reply replayed on a new connection).
  PluginAuthenticator second(passwordPlugin(), "file", options);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, second.challenge("u", "hmac+sha256", "hmac+sha256", false).status);
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, second.authenticate("u", reply.response, reply.clientSalt));
}

void PasswordAuthTest::testShortSaltsAndEmptyResponseFail() {
  const std::string file = writeFile("pw", "pw");
  const std::string options = R"({"filename":")" + file + "\"," + kNoDelay + "}";
  {
    PluginAuthenticator auth(passwordPlugin(), "file", options);
    auto c = auth.challenge("u", "hmac+sha256", "hmac+sha256", false);
    XpraReply reply = xpraClientReply(c, "pw");
    reply.clientSalt.resize(8);  // truncated
    CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("u", reply.response, reply.clientSalt));
    CPPUNIT_ASSERT(auth.lastError().find("client salt too short") != std::string::npos);
  }
  {
    PluginAuthenticator auth(passwordPlugin(), "file", options);
    auto c = auth.challenge("u", "hmac+sha256", "hmac+sha256", false);
    const XpraReply reply = xpraClientReply(c, "pw");
    CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("u", {}, reply.clientSalt));
    CPPUNIT_ASSERT(auth.lastError().find("empty challenge response") != std::string::npos);
  }
  // Client side: a truncated server salt is refused before any password is used.
  std::vector<uint8_t> response, clientSalt;
  CPPUNIT_ASSERT_EQUAL(
      RDK_E_AUTH, rdk::test::pluginRespond(passwordPlugin(), "hmac+sha256", "hmac+sha256",
                                           std::vector<uint8_t>(8, 1), "pw", response, clientSalt));
  CPPUNIT_ASSERT(passwordPlugin().host().lastError().find("too short") != std::string::npos);
}

void PasswordAuthTest::testXorRefusedOnUnencryptedRemote() {
  const std::string file = writeFile("pw", "pw");
  const std::string options = R"({"filename":")" + file + "\"," + kNoDelay + "}";
  PluginAuthenticator remote(passwordPlugin(), "file", options);
  auto c = remote.challenge("u", "xor,des", "hmac+sha256", false);
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, c.status);
  CPPUNIT_ASSERT(remote.lastError().find("unencrypted") != std::string::npos);
  // A client offering both gets hmac even when xor would be allowed.
  PluginAuthenticator both(passwordPlugin(), "file", options);
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha256"),
                       both.challenge("u", "xor,hmac+sha256", "hmac+sha256", true).digest);
  PluginAuthenticator local(passwordPlugin(), "file", options);
  c = local.challenge("u", "xor", "hmac+sha256", true);
  CPPUNIT_ASSERT_EQUAL(std::string("xor"), c.digest);
  const XpraReply reply = xpraClientReply(c, "pw");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, local.authenticate("u", reply.response, reply.clientSalt));
}

void PasswordAuthTest::testInsecureSaltDigestRefused() {
  const std::string file = writeFile("pw", "pw");
  PluginAuthenticator auth(passwordPlugin(), "file", R"({"filename":")" + file + "\"}");
  // No salt-digest offer means Xpra's legacy xor default, which is refused.
  auto c = auth.challenge("u", "hmac+sha256", "", true);
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, c.status);
  CPPUNIT_ASSERT(auth.lastError().find("salt digest") != std::string::npos);
  std::vector<uint8_t> response, clientSalt;
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, rdk::test::pluginRespond(passwordPlugin(), "hmac+sha256", "xor",
                                                            std::vector<uint8_t>(64, 1), "pw",
                                                            response, clientSalt));
}

void PasswordAuthTest::testEnvAndPasswordModules() {
  setenv("RDK_AUTH_TEST_PASSWORD", "from env", 1);
  PluginAuthenticator env(passwordPlugin(), "env",
                          R"({"name":"RDK_AUTH_TEST_PASSWORD",)" + kNoDelay + "}");
  auto c = env.challenge("u", "hmac+sha384", "hmac+sha384", false);
  XpraReply reply = xpraClientReply(c, "from env");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(env.lastError(), RDK_OK,
                               env.authenticate("u", reply.response, reply.clientSalt));

  PluginAuthenticator unset(passwordPlugin(), "env",
                            R"({"name":"RDK_AUTH_TEST_UNSET",)" + kNoDelay + "}");
  c = unset.challenge("u", "hmac+sha384", "hmac+sha384", false);
  reply = xpraClientReply(c, "anything");
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, unset.authenticate("u", reply.response, reply.clientSalt));
  CPPUNIT_ASSERT(unset.lastError().find("RDK_AUTH_TEST_UNSET is not set") != std::string::npos);

  PluginAuthenticator fixed(passwordPlugin(), "password", R"({"value":"v4lue",)" + kNoDelay + "}");
  c = fixed.challenge("u", "hmac+sha256", "hmac+sha256", false);
  reply = xpraClientReply(c, "v4lue");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, fixed.authenticate("u", reply.response, reply.clientSalt));
}

void PasswordAuthTest::testBadOptionsRejected() {
  PluginAuthenticator noFile(passwordPlugin(), "file", "{}");
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, noFile.createStatus());
  CPPUNIT_ASSERT(noFile.lastError().find("filename=") != std::string::npos);
  PluginAuthenticator missing(passwordPlugin(), "file", R"({"filename":"/nonexistent/pw"})");
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, missing.createStatus());
  PluginAuthenticator notJson(passwordPlugin(), "password", "value=x");
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, notJson.createStatus());
  PluginAuthenticator badDelay(passwordPlugin(), "password",
                               R"({"value":"x","failure_delay_ms":"soon"})");
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, badDelay.createStatus());
  PluginAuthenticator unknown(passwordPlugin(), "pam", "{}");
  CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED, unknown.createStatus());
}

void PasswordAuthTest::testBruteForceIsSlowedDown() {
  using Clock = std::chrono::steady_clock;
  const std::string options =
      R"({"value":"right","failure_delay_ms":"100","max_failure_delay_ms":"400"})";
  // Waits double per consecutive failure for the same username, up to the cap.
  const long long expectedMinMs[] = {100, 200, 400, 400};
  for (long long minMs : expectedMinMs) {
    PluginAuthenticator auth(passwordPlugin(), "password", options);
    auto c = auth.challenge("target", "hmac+sha256", "hmac+sha256", false);
    const XpraReply reply = xpraClientReply(c, "guess");
    const auto start = Clock::now();
    CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, auth.authenticate("target", reply.response, reply.clientSalt));
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms < " + std::to_string(minMs), ms >= minMs);
  }
  // The right password still passes, and resets the count.
  PluginAuthenticator auth(passwordPlugin(), "password", options);
  auto c = auth.challenge("target", "hmac+sha256", "hmac+sha256", false);
  XpraReply reply = xpraClientReply(c, "right");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, auth.authenticate("target", reply.response, reply.clientSalt));
  PluginAuthenticator again(passwordPlugin(), "password", options);
  c = again.challenge("target", "hmac+sha256", "hmac+sha256", false);
  reply = xpraClientReply(c, "guess");
  const auto start = Clock::now();
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, again.authenticate("target", reply.response, reply.clientSalt));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  CPPUNIT_ASSERT(ms >= 100);
  CPPUNIT_ASSERT(passwordPlugin().host().log().find("delayed 400 ms") != std::string::npos);
}

void PasswordAuthTest::testNoneModulePassesWithoutChallenge() {
  static LoadedTestPlugin none("auth-none");
  PluginAuthenticator auth(none, "none", "{}");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, auth.createStatus());
  CPPUNIT_ASSERT(!auth.requiresChallenge());
  CPPUNIT_ASSERT_EQUAL(RDK_OK, auth.authenticate("anyone", {}, {}));
  PluginAuthenticator other(none, "file", "{}");
  CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED, other.createStatus());
}

void PasswordAuthTest::testSecondPendingChallengeRefused() {
  PluginAuthenticator auth(passwordPlugin(), "password", R"({"value":"x"})");
  CPPUNIT_ASSERT_EQUAL(RDK_OK, auth.challenge("a", "hmac+sha256", "hmac+sha256", false).status);
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                       auth.challenge("b", "hmac+sha256", "hmac+sha256", false).status);
  CPPUNIT_ASSERT(auth.lastError().find("one per connection") != std::string::npos);
}
