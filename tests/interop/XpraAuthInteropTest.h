// Authentication and TLS against a stock Xpra 3.1.3: its client with a password file against
// `rdkernel serve`, `rdkernel attach` against `xpra start --tcp-auth=file`, and its client over
// ssl:// against rdkernel's TLS listener.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class XpraAuthInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraAuthInteropTest);
  CPPUNIT_TEST(testXpraClientPasswordFileAgainstRdkernel);
  CPPUNIT_TEST(testRdkernelAttachToXpraServerWithFileAuth);
  CPPUNIT_TEST(testXpraClientOverSsl);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testXpraClientPasswordFileAgainstRdkernel();
  void testRdkernelAttachToXpraServerWithFileAuth();
  void testXpraClientOverSsl();
};
