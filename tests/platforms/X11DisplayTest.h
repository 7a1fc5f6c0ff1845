// The x11 plugin's client side on a private Xvfb: native windows follow window events and show
// painted pixels exactly, local input comes back window-relative, and the whole platform
// pipeline (shadow capture on one Xvfb, windows on another, input back) works end to end.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

#include "xvfb_server.h"

class X11DisplayTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(X11DisplayTest);
  CPPUNIT_TEST(windowsFollowEventsAndShowPaintedPixels);
  CPPUNIT_TEST(overrideRedirectTrayAndLostWindows);
  CPPUNIT_TEST(localInputIsReportedWindowRelative);
  CPPUNIT_TEST(shadowOfOneDisplayShownOnAnotherWithInputBack);
  CPPUNIT_TEST(badDisplayRequestsAreRejected);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override;
  void tearDown() override;

  void windowsFollowEventsAndShowPaintedPixels();
  void overrideRedirectTrayAndLostWindows();
  void localInputIsReportedWindowRelative();
  void shadowOfOneDisplayShownOnAnotherWithInputBack();
  void badDisplayRequestsAreRejected();

 private:
  std::unique_ptr<rdk::test::XvfbServer> xvfb_;
};
