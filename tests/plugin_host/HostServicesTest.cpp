// The host table's refusal counter (ABI 1.3): counted per plugin and reason through the C entry
// a plugin calls, bounded however many reason names a plugin makes up.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rdk/kernel/host_services.h"

using rdk::plugin::HostServices;

namespace {

uint64_t countOf(const std::string& plugin, const std::string& reason, size_t* reasons = nullptr) {
  uint64_t count = 0;
  size_t n = 0;
  for (const auto& r : HostServices::instance().refusalCounts()) {
    if (r.plugin != plugin)
      continue;
    ++n;
    if (r.reason == reason)
      count = r.count;
  }
  if (reasons)
    *reasons = n;
  return count;
}

}  // namespace

class HostServicesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HostServicesTest);
  CPPUNIT_TEST(testRefusalsCountedThroughTheTable);
  CPPUNIT_TEST(testReasonNamesAreBounded);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRefusalsCountedThroughTheTable() {
    const rdk_host_api* api = HostServices::instance().apiFor("host-test-a");
    CPPUNIT_ASSERT(RDK_HAS_FIELD(api, rdk_host_api, count_refusal) && api->count_refusal);
    api->count_refusal(api->ctx, "too-big", 2);
    api->count_refusal(api->ctx, "too-big", 3);
    api->count_refusal(api->ctx, nullptr, 1);  // a plugin's bug is counted, not a crash
    CPPUNIT_ASSERT_EQUAL(uint64_t(5), countOf("host-test-a", "too-big"));
    CPPUNIT_ASSERT_EQUAL(uint64_t(1), countOf("host-test-a", "unnamed"));
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), countOf("host-test-other", "too-big"));
  }

  void testReasonNamesAreBounded() {
    const rdk_host_api* api = HostServices::instance().apiFor("host-test-b");
    for (int i = 0; i < 1000; ++i)
      api->count_refusal(api->ctx, ("reason-" + std::to_string(i)).c_str(), 1);
    size_t reasons = 0;
    const uint64_t other = countOf("host-test-b", "other", &reasons);
    CPPUNIT_ASSERT_EQUAL(HostServices::kMaxRefusalReasons + 1, reasons);
    CPPUNIT_ASSERT_EQUAL(uint64_t(1000 - HostServices::kMaxRefusalReasons), other);
    api->count_refusal(api->ctx, "reason-0", 1);  // a known reason keeps its own row
    CPPUNIT_ASSERT_EQUAL(uint64_t(2), countOf("host-test-b", "reason-0"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostServicesTest);
