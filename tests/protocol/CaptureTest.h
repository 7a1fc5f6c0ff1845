// Packets captured from a stock Xpra 3.1.3 client and server (tests/data/xpra-3.1.3, see its
// README): they decode, and re-encode byte for byte with the same encoder, compressor and level.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class CaptureTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CaptureTest);
  CPPUNIT_TEST(testClientHelloByteForByte);
  CPPUNIT_TEST(testServerHelloByteForByte);
  CPPUNIT_TEST(testStreamsDecodeAndReencode);
  CPPUNIT_TEST(testTypedMessagesFromCapture);
  CPPUNIT_TEST(testEveryCapturedPacketThroughTypedMessages);
  CPPUNIT_TEST(testNegotiationOnRealHellos);
  CPPUNIT_TEST(testVersionAndInfoRequests);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testClientHelloByteForByte();
  void testServerHelloByteForByte();
  void testStreamsDecodeAndReencode();
  void testTypedMessagesFromCapture();
  void testEveryCapturedPacketThroughTypedMessages();
  void testNegotiationOnRealHellos();
  void testVersionAndInfoRequests();
};
