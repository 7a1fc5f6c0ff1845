// rencode (stock 1.0.6 dialect) and Xpra bencode: reference vectors, python3-rencode
// cross-check, malformed input.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class CodecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CodecTest);
  CPPUNIT_TEST(testRencodeReferenceVectors);
  CPPUNIT_TEST(testRencodeIntBoundaries);
  CPPUNIT_TEST(testRencodeContainersAndStrings);
  CPPUNIT_TEST(testRencodeFloats);
  CPPUNIT_TEST(testRencodeAgainstPython);
  CPPUNIT_TEST(testRencodeMalformed);
  CPPUNIT_TEST(testRencodeDepthLimit);
  CPPUNIT_TEST(testBencodeDialect);
  CPPUNIT_TEST(testBencodeMalformed);
  CPPUNIT_TEST(testValueAccessorsAndJson);
  CPPUNIT_TEST(testJsonOfNestedContainerKeysStaysSmall);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRencodeReferenceVectors();
  void testRencodeIntBoundaries();
  void testRencodeContainersAndStrings();
  void testRencodeFloats();
  void testRencodeAgainstPython();
  void testRencodeMalformed();
  void testRencodeDepthLimit();
  void testBencodeDialect();
  void testBencodeMalformed();
  void testValueAccessorsAndJson();
  void testJsonOfNestedContainerKeysStaysSmall();
};
