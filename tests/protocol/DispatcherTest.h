// MessageDispatcher: typed handlers, malformed packets raise the message's field-naming error,
// unknown types reported once under a bounded printable name; the Message concept.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class DispatcherTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DispatcherTest);
  CPPUNIT_TEST(testDispatchesByType);
  CPPUNIT_TEST(testMalformedRaisesFieldError);
  CPPUNIT_TEST(testUnknownReportedOncePerType);
  CPPUNIT_TEST(testUnknownNamesAreBounded);
  CPPUNIT_TEST(testPacketWithoutType);
  CPPUNIT_TEST(testHandlerReplacedAndExceptionsPropagate);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDispatchesByType();
  void testMalformedRaisesFieldError();
  void testUnknownReportedOncePerType();
  void testUnknownNamesAreBounded();
  void testPacketWithoutType();
  void testHandlerReplacedAndExceptionsPropagate();
};
