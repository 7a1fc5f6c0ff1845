// A stock Xpra 3.1.3 client through `rdkernel proxy`: `xpra attach tcp://user:pass@host:port/`
// reaches that user's session; a wrong password is refused by the proxy. The same over ssl://
// (TLS terminated at the proxy): `xpra attach ssl://user:pass@host:port/`.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class ProxyXpraInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyXpraInteropTest);
  CPPUNIT_TEST(testXpraClientReachesItsSession);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testXpraClientReachesItsSession();
};
