// SIGHUP: a running server reads its configuration file again. Binds are added and removed
// without dropping the sessions on them, authentication changes for new connections, a bad
// file changes nothing, and keys fixed at start-up keep their running value.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ReloadTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReloadTest);
  CPPUNIT_TEST(testBindsComeAndGoWithoutDroppingSessions);
  CPPUNIT_TEST(testAuthChangesForNewConnections);
  CPPUNIT_TEST(testBadFileChangesNothing);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testBindsComeAndGoWithoutDroppingSessions();
  void testAuthChangesForNewConnections();
  void testBadFileChangesNothing();
};
