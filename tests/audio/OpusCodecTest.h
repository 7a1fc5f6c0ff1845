// Opus through kernel/audio's codec unit: a tone in, its frequency out; loss concealed.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class OpusCodecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OpusCodecTest);
  CPPUNIT_TEST(testToneKeepsItsFrequency);
  CPPUNIT_TEST(testMonoAndStereo);
  CPPUNIT_TEST(testConcealmentFillsMissingPackets);
  CPPUNIT_TEST(testFecRecoversALostPacket);
  CPPUNIT_TEST(testBadInputIsAnError);
  CPPUNIT_TEST(testIdHeader);
  CPPUNIT_TEST(testWavRoundTrip);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testToneKeepsItsFrequency();
  void testMonoAndStereo();
  void testConcealmentFillsMissingPackets();
  void testFecRecoversALostPacket();
  void testBadInputIsAnError();
  void testIdHeader();
  void testWavRoundTrip();
};
