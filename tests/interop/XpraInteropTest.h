// Interoperability with a stock Xpra 3.1.3 (Debian's xpra package): its client against
// `rdkernel serve`, and `rdkernel attach` against its server.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class XpraInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraInteropTest);
  CPPUNIT_TEST(testXpraVersionAndInfoAgainstRdkernel);
  CPPUNIT_TEST(testXpraScreenshotDetachStopAgainstRdkernel);
  CPPUNIT_TEST(testRdkernelStopAuthenticates);
  CPPUNIT_TEST(testXpraClientShowsRdkernelDesktop);
  CPPUNIT_TEST(testRdkernelAttachToXpraServer);
  CPPUNIT_TEST(testRdkernelDecodesXpraH264Video);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testXpraVersionAndInfoAgainstRdkernel();
  void testXpraScreenshotDetachStopAgainstRdkernel();
  void testRdkernelStopAuthenticates();
  void testXpraClientShowsRdkernelDesktop();
  void testRdkernelAttachToXpraServer();
  void testRdkernelDecodesXpraH264Video();
};
