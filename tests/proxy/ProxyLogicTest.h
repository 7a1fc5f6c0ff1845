// kernel/proxy without sockets: the users file, the session command line, packet boundaries,
// the --list state file.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ProxyLogicTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyLogicTest);
  CPPUNIT_TEST(testUsersFileFields);
  CPPUNIT_TEST(testUsersFileErrorsNameFileAndLine);
  CPPUNIT_TEST(testSessionCommandLine);
  CPPUNIT_TEST(testListeningPort);
  CPPUNIT_TEST(testPacketBoundaries);
  CPPUNIT_TEST(testStateFileRoundTripAndTable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testUsersFileFields();
  void testUsersFileErrorsNameFileAndLine();
  void testSessionCommandLine();
  void testListeningPort();
  void testPacketBoundaries();
  void testStateFileRoundTripAndTable();
};
