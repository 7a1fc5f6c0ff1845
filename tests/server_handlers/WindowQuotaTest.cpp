#include "WindowQuotaTest.h"

#include "rdk/session/window_quota.h"

CPPUNIT_TEST_SUITE_REGISTRATION(WindowQuotaTest);

using rdk::session::Refusal;
using rdk::session::RefusalCounters;
using rdk::session::WindowQuota;

void WindowQuotaTest::testCountLimit() {
  WindowQuota quota(3, 4096);
  for (uint64_t wid = 1; wid <= 3; ++wid)
    CPPUNIT_ASSERT(!quota.admit(wid, 100, 100));
  CPPUNIT_ASSERT(!quota.admit(2, 100, 100));  // announced twice: still one place
  const auto refusal = quota.admit(4, 100, 100);
  CPPUNIT_ASSERT(refusal.has_value());
  CPPUNIT_ASSERT_EQUAL(std::string("the session already shows server.max-windows (3) windows"),
                       *refusal);
  CPPUNIT_ASSERT(!quota.shown(4));
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, quota.refused());
  quota.remove(1);
  CPPUNIT_ASSERT(!quota.admit(5, 100, 100));
  CPPUNIT_ASSERT_EQUAL(size_t{3}, quota.count());
}

void WindowQuotaTest::testSizeLimit() {
  RefusalCounters counters;
  WindowQuota quota(16, 4096, &counters);
  CPPUNIT_ASSERT(!quota.admit(1, 4096, 4096));
  const auto wide = quota.admit(2, 4097, 10);
  CPPUNIT_ASSERT(wide.has_value());
  CPPUNIT_ASSERT_EQUAL(std::string("4097x10 is larger than server.max-window-size (4096)"), *wide);
  CPPUNIT_ASSERT(quota.admit(3, 1, 70000).has_value());
  CPPUNIT_ASSERT_EQUAL(size_t{1}, quota.count());
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, quota.refused());
  // The server's counters see each refusal under its reason.
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, counters.get(Refusal::WindowSize));
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, counters.get(Refusal::WindowCount));
  for (uint64_t wid = 10; wid < 40; ++wid)
    quota.admit(wid, 10, 10);
  CPPUNIT_ASSERT_EQUAL(uint64_t{15}, counters.get(Refusal::WindowCount));
}

void WindowQuotaTest::testGrowingPastTheSizeWithdraws() {
  WindowQuota quota(16, 1000);
  CPPUNIT_ASSERT(!quota.admit(1, 500, 500));
  CPPUNIT_ASSERT(!quota.resize(1, 1000, 800));
  CPPUNIT_ASSERT(quota.shown(1));
  CPPUNIT_ASSERT(quota.resize(1, 1001, 800).has_value());
  CPPUNIT_ASSERT(!quota.shown(1));
  CPPUNIT_ASSERT_EQUAL(size_t{0}, quota.count());
  // Resizes of windows not shown change nothing.
  CPPUNIT_ASSERT(!quota.resize(9, 5000, 5000));
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, quota.refused());
}
