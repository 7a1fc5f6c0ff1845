// Sessions found through the per-user socket directory, as Xpra's: `rdkernel start` with no
// --bind listens only on its unix socket there; `rdkernel list` shows it LIVE (display, pid,
// URL); a re-attach through the socket gets the same windows at once; `rdkernel attach :N` and
// `rdkernel stop` (the only session) need no port and the record goes with the server;
// `rdkernel shadow :N` is listed as a shadow; a dead session's record and socket are removed by
// list. A GTK3 tray icon (XEmbed) docks in the seamless server's system tray and is a new-tray
// that is drawn and takes clicks.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SeamlessLifecycleTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SeamlessLifecycleTest);
  CPPUNIT_TEST(startListAttachStopWithoutAPort);
  CPPUNIT_TEST(shadowIsListedAndDeadSessionsAreCleaned);
  CPPUNIT_TEST(trayIconIsANewTrayThatTakesClicks);
  CPPUNIT_TEST_SUITE_END();

 public:
  void startListAttachStopWithoutAPort();
  void shadowIsListedAndDeadSessionsAreCleaned();
  void trayIconIsANewTrayThatTakesClicks();
};
