// A private PulseAudio server: a tone played into its null sink comes out of OpusSource as Opus
// frames of that frequency; Ogg pages for opus+ogg peers are well formed.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class PulseSourceTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PulseSourceTest);
  CPPUNIT_TEST(testToneThroughPrivateServer);
  CPPUNIT_TEST(testOggPages);
  CPPUNIT_TEST(testMissingServerIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testToneThroughPrivateServer();
  void testOggPages();
  void testMissingServerIsAnError();
};
