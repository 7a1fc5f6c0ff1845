// The x11 plugin's seamless mode against the Xvfb it starts itself, with real applications from
// Debian (xmessage, xclock, xterm) and windows made by a test client: each top-level window is its
// own remote window with its geometry, title and pixels (also where another window covers it),
// menus are override-redirect windows, metadata follows property changes, typed keys reach the
// application the client typed into, clicks land in the right window, the display and the
// applications go away with the platform.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SeamlessPlatformTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SeamlessPlatformTest);
  CPPUNIT_TEST(startsItsOwnDisplayAndReportsEachApplicationWindow);
  CPPUNIT_TEST(capturesEachWindowFromItsOwnPixmapEvenWhenCovered);
  CPPUNIT_TEST(overrideRedirectAndXtermMenuAreReportedAsSuch);
  CPPUNIT_TEST(metadataFollowsPropertiesAndTransientForNamesTheParent);
  CPPUNIT_TEST(moveResizeUnmapAndDamageAreReported);
  CPPUNIT_TEST(manyDamageRectanglesKeepDistantAreasApart);
  CPPUNIT_TEST(typedKeysReachTheApplicationTypedInto);
  CPPUNIT_TEST(clicksLandInTheRightWindow);
  CPPUNIT_TEST(clientRequestsMoveFocusMinimiseAndClose);
  CPPUNIT_TEST(exitWithChildrenAndCleanUp);
  CPPUNIT_TEST(badOptionsAndDisplaysAreRejected);
  CPPUNIT_TEST_SUITE_END();

 public:
  void startsItsOwnDisplayAndReportsEachApplicationWindow();
  void capturesEachWindowFromItsOwnPixmapEvenWhenCovered();
  void overrideRedirectAndXtermMenuAreReportedAsSuch();
  void metadataFollowsPropertiesAndTransientForNamesTheParent();
  void moveResizeUnmapAndDamageAreReported();
  void manyDamageRectanglesKeepDistantAreasApart();
  void typedKeysReachTheApplicationTypedInto();
  void clicksLandInTheRightWindow();
  void clientRequestsMoveFocusMinimiseAndClose();
  void exitWithChildrenAndCleanUp();
  void badOptionsAndDisplaysAreRejected();
};
