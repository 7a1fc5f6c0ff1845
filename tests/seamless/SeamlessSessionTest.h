// `rdkernel start --start=CMD --bind URL` end to end, with the real binary and real applications:
// a peer speaking the Xpra protocol sees each application as its own window (not the screen),
// with its title and size; keys it sends reach the application it typed into; a second attach
// sees the same windows; moving a window on the client moves the X window, closing it closes the
// application; `rdkernel attach`
// paints a window of the application's size, and keys typed (xdotool) into the window it shows on
// its own X display reach the application.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SeamlessSessionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SeamlessSessionTest);
  CPPUNIT_TEST(startServesEachApplicationAsItsOwnWindow);
  CPPUNIT_TEST(attachPaintsTheApplicationWindowNotTheScreen);
  CPPUNIT_TEST(keysTypedIntoTheAttachedWindowReachTheApplication);
  CPPUNIT_TEST(exitWithChildrenEndsTheServer);
  CPPUNIT_TEST_SUITE_END();

 public:
  void startServesEachApplicationAsItsOwnWindow();
  void attachPaintsTheApplicationWindowNotTheScreen();
  void keysTypedIntoTheAttachedWindowReachTheApplication();
  void exitWithChildrenEndsTheServer();
};
