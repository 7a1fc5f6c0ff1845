// WindowQuota: at most server.max-windows shown, none larger than server.max-window-size, a
// window that grows past the size withdrawn, places freed by windows that go.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class WindowQuotaTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WindowQuotaTest);
  CPPUNIT_TEST(testCountLimit);
  CPPUNIT_TEST(testSizeLimit);
  CPPUNIT_TEST(testGrowingPastTheSizeWithdraws);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testCountLimit();
  void testSizeLimit();
  void testGrowingPastTheSizeWithdraws();
};
