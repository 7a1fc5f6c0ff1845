// The auth plugins through their C vtable, with responses from Xpra 3.1.3's client code.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <string>

class PasswordAuthTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PasswordAuthTest);
  CPPUNIT_TEST(testRightPasswordFromXpraClientPasses);
  CPPUNIT_TEST(testEveryDigestFromXpraClientPasses);
  CPPUNIT_TEST(testResponderMatchesXpraComputation);
  CPPUNIT_TEST(testWrongPasswordFails);
  CPPUNIT_TEST(testMultifileUsers);
  CPPUNIT_TEST(testUnknownUserFails);
  CPPUNIT_TEST(testReplayedResponseFails);
  CPPUNIT_TEST(testShortSaltsAndEmptyResponseFail);
  CPPUNIT_TEST(testXorRefusedOnUnencryptedRemote);
  CPPUNIT_TEST(testInsecureSaltDigestRefused);
  CPPUNIT_TEST(testEnvAndPasswordModules);
  CPPUNIT_TEST(testBadOptionsRejected);
  CPPUNIT_TEST(testBruteForceIsSlowedDown);
  CPPUNIT_TEST(testNoneModulePassesWithoutChallenge);
  CPPUNIT_TEST(testSecondPendingChallengeRefused);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override;
  void tearDown() override;

  void testRightPasswordFromXpraClientPasses();
  void testEveryDigestFromXpraClientPasses();
  void testResponderMatchesXpraComputation();
  void testWrongPasswordFails();
  void testMultifileUsers();
  void testUnknownUserFails();
  void testReplayedResponseFails();
  void testShortSaltsAndEmptyResponseFail();
  void testXorRefusedOnUnencryptedRemote();
  void testInsecureSaltDigestRefused();
  void testEnvAndPasswordModules();
  void testBadOptionsRejected();
  void testBruteForceIsSlowedDown();
  void testNoneModulePassesWithoutChallenge();
  void testSecondPendingChallengeRefused();

 private:
  std::string writeFile(const std::string& name, const std::string& content);
  std::string dir_;
};
