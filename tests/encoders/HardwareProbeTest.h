// The hardware plugins (nvenc, vaapi) build, load, probe honestly and fail cleanly without
// hardware.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class HardwareProbeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HardwareProbeTest);
  CPPUNIT_TEST(testNvencProbeExplainsItself);
  CPPUNIT_TEST(testVaapiProbeExplainsItself);
  CPPUNIT_TEST(testManifestsDeclareSubprocessProbe);
  CPPUNIT_TEST(testFeaturesFeedThePolicy);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testNvencProbeExplainsItself();
  void testVaapiProbeExplainsItself();
  void testManifestsDeclareSubprocessProbe();
  void testFeaturesFeedThePolicy();
};
