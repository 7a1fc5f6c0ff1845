// The x11 platform's server side (shadow mode) against a private Xvfb: exact capture with and
// without MIT-SHM, damage confined to what changed, cursor and bell reports, and input injected
// with XTEST reaching an X client on that display.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

#include "xvfb_server.h"

class X11CaptureTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(X11CaptureTest);
  CPPUNIT_TEST(captureMatchesPixelsDrawnByAnXClient);
  CPPUNIT_TEST(damageCoversOnlyTheChangedArea);
  CPPUNIT_TEST(declaredSettingsReachTheOptions);
  CPPUNIT_TEST(injectedKeysAndClicksReachAnXClient);
  CPPUNIT_TEST(cursorPointerAndBellAreReported);
  CPPUNIT_TEST(xtermEchoesInjectedKeysAsDamage);
  CPPUNIT_TEST(badRequestsAreRejected);
  CPPUNIT_TEST(lostXServerIsAnErrorNotAnExit);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override;
  void tearDown() override;

  void captureMatchesPixelsDrawnByAnXClient();
  void damageCoversOnlyTheChangedArea();
  void declaredSettingsReachTheOptions();
  void injectedKeysAndClicksReachAnXClient();
  void cursorPointerAndBellAreReported();
  void xtermEchoesInjectedKeysAsDamage();
  void badRequestsAreRejected();
  void lostXServerIsAnErrorNotAnExit();

 private:
  std::unique_ptr<rdk::test::XvfbServer> xvfb_;
};
