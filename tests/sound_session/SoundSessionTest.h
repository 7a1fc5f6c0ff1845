// Sound end to end: a tone played into the session's PulseAudio sink arrives at `rdkernel
// attach`'s player (its WAV output) at the same frequency, over TCP and over UDP at 10% loss;
// server.sound=monitor (shadow) captures what plays on the user's own PulseAudio server.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SoundSessionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SoundSessionTest);
  CPPUNIT_TEST(testToneArrivesOverTcp);
  CPPUNIT_TEST(testTenPercentUdpLossLeavesNoLongGap);
  CPPUNIT_TEST(testMonitorCapturesTheUsersDefaultSink);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testToneArrivesOverTcp();
  void testTenPercentUdpLossLeavesNoLongGap();
  void testMonitorCapturesTheUsersDefaultSink();
};
