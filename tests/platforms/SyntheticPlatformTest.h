// The synthetic platform through its C vtable: the scripted window events, determinism, exact
// damage, input effects, the test tone and bad input.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class SyntheticPlatformTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SyntheticPlatformTest);
  CPPUNIT_TEST(everyWindowEventTypeWithinTenSeconds);
  CPPUNIT_TEST(scriptRepeatsWithFreshWindowIds);
  CPPUNIT_TEST(windowsStayOnASmallDesktop);
  CPPUNIT_TEST(sameSeedAndTimesGiveSamePixels);
  CPPUNIT_TEST(damageCoversEveryChangedPixelAndNoStaticArea);
  CPPUNIT_TEST(injectedKeysAndClicksShowAndAreLogged);
  CPPUNIT_TEST(soundEventsAreWavOf440Hz);
  CPPUNIT_TEST(badOptionsAndRequestsAreRejected);
  CPPUNIT_TEST_SUITE_END();

 public:
  void everyWindowEventTypeWithinTenSeconds();
  void scriptRepeatsWithFreshWindowIds();
  void windowsStayOnASmallDesktop();
  void sameSeedAndTimesGiveSamePixels();
  void damageCoversEveryChangedPixelAndNoStaticArea();
  void injectedKeysAndClicksShowAndAreLogged();
  void soundEventsAreWavOf440Hz();
  void badOptionsAndRequestsAreRejected();
};
