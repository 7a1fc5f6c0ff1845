// WindowMirror: window packets -> ClientWindow state, display events and the map-window reply.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class WindowMirrorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WindowMirrorTest);
  CPPUNIT_TEST(testNewWindowIsMapped);
  CPPUNIT_TEST(testOverrideRedirectAndTray);
  CPPUNIT_TEST(testGeometryStackingAndMetadata);
  CPPUNIT_TEST(testLostWindowAndUnknownWindows);
  CPPUNIT_TEST(testBell);
  CPPUNIT_TEST(testMalformedAndOversizedAreRefused);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testNewWindowIsMapped();
  void testOverrideRedirectAndTray();
  void testGeometryStackingAndMetadata();
  void testLostWindowAndUnknownWindows();
  void testBell();
  void testMalformedAndOversizedAreRefused();
};
