// Record framing: header, lz4/zlib, raw chunks, aliases, limits, and broken streams.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class RecordTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RecordTest);
  CPPUNIT_TEST(testSmallPacketUncompressed);
  CPPUNIT_TEST(testLz4AndZlibRecords);
  CPPUNIT_TEST(testLz4MatchesPythonLz4);
  CPPUNIT_TEST(testBencodeRecords);
  CPPUNIT_TEST(testRawChunks);
  CPPUNIT_TEST(testRawChunkRules);
  CPPUNIT_TEST(testAliases);
  CPPUNIT_TEST(testByteByByteFeeding);
  CPPUNIT_TEST(testHeaderFailures);
  CPPUNIT_TEST(testGuessProtocol);
  CPPUNIT_TEST(testDecompressionLimits);
  CPPUNIT_TEST(testTruncatedStreamsNeverFail);
  CPPUNIT_TEST(testRandomStreams);
  CPPUNIT_TEST(testCallbackExceptionKeepsState);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testSmallPacketUncompressed();
  void testLz4AndZlibRecords();
  void testLz4MatchesPythonLz4();
  void testBencodeRecords();
  void testRawChunks();
  void testRawChunkRules();
  void testAliases();
  void testByteByByteFeeding();
  void testHeaderFailures();
  void testGuessProtocol();
  void testDecompressionLimits();
  void testTruncatedStreamsNeverFail();
  void testRandomStreams();
  void testCallbackExceptionKeepsState();
};
