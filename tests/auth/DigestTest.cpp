#include "DigestTest.h"

#include "auth_test_util.h"
#include "digest.h"
#include "failure_backoff.h"
#include "rdk/plugin.hpp"
#include "salt_cache.h"
#include "vnc_des.h"

CPPUNIT_TEST_SUITE_REGISTRATION(DigestTest);

using rdk::auth::asBytes;
using rdk::auth::Bytes;
using rdk::test::hexOf;
using rdk::test::xpraDigest;

void DigestTest::testEveryDigestMatchesXpraGendigest() {
  const Bytes salt = rdk::auth::randomBytes(64);
  // Passwords shorter and longer than the salt exercise xor's truncate and zero-pad rules.
  for (const std::string& password : {std::string("secret"), std::string(100, 'x') + "\xff\x01"}) {
    for (const std::string& digest : rdk::auth::knownDigests()) {
      const Bytes ours = rdk::auth::computeDigest(digest, asBytes(password), salt);
      const std::string theirs =
          xpraDigest("gendigest " + digest + " " + hexOf(password) + " " + hexOf(salt));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(digest, theirs, hexOf(ours));
    }
  }
  CPPUNIT_ASSERT_THROW(rdk::auth::computeDigest("hmac+whirlpool", asBytes("pw"), salt), rdk::Error);
  CPPUNIT_ASSERT_THROW(rdk::auth::computeDigest("hmac+sha256", asBytes(""), salt), rdk::Error);
}

void DigestTest::testDesMatchesXpraAndLegacyProvider() {
  for (const std::string password : {"pw", "12345678", "longer than eight"}) {
    const Bytes challenge = rdk::auth::randomBytes(20);
    const Bytes ours = rdk::auth::computeDigest("des", asBytes(password), challenge);
    CPPUNIT_ASSERT_EQUAL(size_t(32), ours.size());  // 16 bytes, hex
    CPPUNIT_ASSERT_EQUAL(xpraDigest("gendigest des " + hexOf(password) + " " + hexOf(challenge)),
                         hexOf(ours));
    Bytes legacy;
    if (rdk::auth::vncDesResponseLegacyProvider(asBytes(password), challenge, legacy)) {
      CPPUNIT_ASSERT_EQUAL(hexOf(rdk::auth::vncDesResponse(asBytes(password), challenge)),
                           hexOf(legacy));
    }
  }
}

void DigestTest::testChooseDigestFollowsXpraOrder() {
  using rdk::auth::chooseDigest;
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha512"),
                       *chooseDigest({"xor", "hmac+sha256", "hmac+sha512", "hmac"}, true));
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha384"), *chooseDigest({"hmac+sha384", "hmac"}, false));
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha1"), *chooseDigest({"hmac", "hmac+sha1"}, false));
  CPPUNIT_ASSERT_EQUAL(std::string("hmac"), *chooseDigest({"xor", "hmac"}, true));
  CPPUNIT_ASSERT_EQUAL(std::string("xor"), *chooseDigest({"des", "xor"}, true));
  CPPUNIT_ASSERT(!chooseDigest({"des", "xor"}, false));
  CPPUNIT_ASSERT(!chooseDigest({"u2f", "kerberos:host"}, true));
}

void DigestTest::testSplitList() {
  const auto items = rdk::auth::splitList(" hmac+sha256, xor,,hmac ");
  CPPUNIT_ASSERT_EQUAL(size_t(3), items.size());
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha256"), items[0]);
  CPPUNIT_ASSERT_EQUAL(std::string("xor"), items[1]);
  CPPUNIT_ASSERT_EQUAL(std::string("hmac"), items[2]);
  CPPUNIT_ASSERT(rdk::auth::splitList("").empty());
}

void DigestTest::testSaltCacheRejectsRepeatsAndIsBounded() {
  rdk::auth::SaltCache cache(3);
  CPPUNIT_ASSERT(cache.insertIfNew(asBytes("a")));
  CPPUNIT_ASSERT(!cache.insertIfNew(asBytes("a")));
  CPPUNIT_ASSERT(cache.insertIfNew(asBytes("b")));
  CPPUNIT_ASSERT(cache.insertIfNew(asBytes("c")));
  CPPUNIT_ASSERT(cache.insertIfNew(asBytes("d")));  // evicts "a"
  CPPUNIT_ASSERT_EQUAL(size_t(3), cache.size());
  CPPUNIT_ASSERT(!cache.insertIfNew(asBytes("d")));
  CPPUNIT_ASSERT(cache.insertIfNew(asBytes("a")));
}

void DigestTest::testBackoffDoublesUpToCap() {
  using std::chrono::milliseconds;
  rdk::auth::FailureBackoff backoff;
  rdk::auth::BackoffPolicy policy;
  policy.baseDelay = milliseconds(500);
  policy.maxDelay = milliseconds(3000);
  CPPUNIT_ASSERT_EQUAL(500LL, (long long)backoff.recordFailure("u", policy).count());
  CPPUNIT_ASSERT_EQUAL(1000LL, (long long)backoff.recordFailure("u", policy).count());
  CPPUNIT_ASSERT_EQUAL(2000LL, (long long)backoff.recordFailure("u", policy).count());
  CPPUNIT_ASSERT_EQUAL(3000LL, (long long)backoff.recordFailure("u", policy).count());
  for (int i = 0; i < 100; ++i)
    backoff.recordFailure("u", policy);
  CPPUNIT_ASSERT_EQUAL(3000LL, (long long)backoff.recordFailure("u", policy).count());
  CPPUNIT_ASSERT_EQUAL(500LL, (long long)backoff.recordFailure("other", policy).count());
  backoff.recordSuccess("u");
  CPPUNIT_ASSERT_EQUAL(0u, backoff.failures("u"));
  policy.maxTrackedUsers = 1;  // a flood of usernames evicts the oldest entry
  backoff.recordFailure("third", policy);
  CPPUNIT_ASSERT_EQUAL(0u, backoff.failures("other"));
  CPPUNIT_ASSERT_EQUAL(1u, backoff.failures("third"));
}

void DigestTest::testConstantTimeEquals() {
  CPPUNIT_ASSERT(rdk::auth::constantTimeEquals(asBytes("abc"), asBytes("abc")));
  CPPUNIT_ASSERT(!rdk::auth::constantTimeEquals(asBytes("abc"), asBytes("abd")));
  CPPUNIT_ASSERT(!rdk::auth::constantTimeEquals(asBytes("abc"), asBytes("abcd")));
}
