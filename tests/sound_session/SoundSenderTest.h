// SoundSender: Xpra 3.1.3's speaker forwarding (start, stop, new-sequence, codecs, metadata,
// Ogg headers, which frames may be dropped), without sockets.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SoundSenderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SoundSenderTest);
  CPPUNIT_TEST(testNothingBeforeStart);
  CPPUNIT_TEST(testStartStreamsRawOpus);
  CPPUNIT_TEST(testOggHeadersBundledOrSentFirst);
  CPPUNIT_TEST(testStopAndNewSequence);
  CPPUNIT_TEST(testRefusedStartSaysEndOfStream);
  CPPUNIT_TEST(testStartWithoutCodecTakesClientPreference);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testNothingBeforeStart();
  void testStartStreamsRawOpus();
  void testOggHeadersBundledOrSentFirst();
  void testStopAndNewSequence();
  void testRefusedStartSaysEndOfStream();
  void testStartWithoutCodecTakesClientPreference();
};
