// The avcodec decoder plugin (h264/h265 for the client): our own H.264 streams decoded exactly,
// stock Xpra 3.1.3's x264 output decoded, damaged input reported as RDK_E_CORRUPT, never encoding.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class AvcodecDecoderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AvcodecDecoderTest);
  CPPUNIT_TEST(testDecodesOurStreamsExactly);
  CPPUNIT_TEST(testOddDrawRectangleShowsTheCodedPicture);
  CPPUNIT_TEST(testDamagedInputIsCorruptAndRecovers);
  CPPUNIT_TEST(testDecodesStockXpraX264);
  CPPUNIT_TEST(testOnlyDecodes);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDecodesOurStreamsExactly();
  void testOddDrawRectangleShowsTheCodedPicture();
  void testDamagedInputIsCorruptAndRecovers();
  void testDecodesStockXpraX264();
  void testOnlyDecodes();
};
