// Issue 22 item 5: a plugin that abort()s while loading (probe none) must never take the process
// that selects it down. With an empty inspection cache the registry inspects it in a child first,
// turns the crash into a row and selects the next candidate; the verdict is cached per file.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <iostream>

#include "fixture_env.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/kernel/plugin_status.h"

using rdk::plugin::Kind;
using rdk::plugin::Registry;
namespace status = rdk::plugin::status;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The aborting fixtures first, then the real plugins of the build tree (tcp, rgb...).
rdk::config::Config abortingConfig() {
  rdk::config::Config config;
  config.set("plugins.path", std::string(RDK_FIXTURE_ABORT_TRANSPORT_DIR) + "," +
                                 RDK_FIXTURE_ABORT_ENCODER_DIR + "," + RDK_REAL_PLUGIN_DIR);
  return config;
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

class CrashSafeLoadTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CrashSafeLoadTest);
  CPPUNIT_TEST(testAbortingPluginsArePassedOverWithAnEmptyCache);
  CPPUNIT_TEST(testCachedVerdictNeedsNoChild);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    ::unsetenv("RDK_PLUGIN_PATH");
    ::setenv("XDG_CACHE_HOME", rdk::test::freshTempDir("crashcache").c_str(), 1);
    Registry::instance().setChildExecutable(RDKERNEL_EXE);
  }

  void testAbortingPluginsArePassedOverWithAnEmptyCache() {
    Registry& r = Registry::instance();
    r.configure(abortingConfig());
    // The aborting fixtures outrank the real plugins, so they are tried first.
    CPPUNIT_ASSERT_EQUAL(std::string("abort_transport"), r.features(Kind::Transport).at(0).plugin);
    std::string why;
    const auto start = std::chrono::steady_clock::now();
    rdk::plugin::LoadedPlugin* tcp = r.select(Kind::Transport, "tcp", &why);
    const double coldMs = msSince(start);
    CPPUNIT_ASSERT_MESSAGE(why, tcp);
    CPPUNIT_ASSERT_EQUAL(std::string("tcp"), std::string(tcp->descriptor->name));
    rdk::plugin::LoadedPlugin* rgb =
        r.select(Kind::Encoder, "rgb24", &why, rdk::plugin::featureEncodes);
    CPPUNIT_ASSERT_MESSAGE(why, rgb);
    CPPUNIT_ASSERT_EQUAL(std::string("rgb"), std::string(rgb->descriptor->name));

    const auto rows = r.rows();
    const auto* transport = rdk::test::findRow(rows, "abort_transport");
    const auto* encoder = rdk::test::findRow(rows, "abort_encoder");
    CPPUNIT_ASSERT(transport && encoder);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(transport->reason, std::string(status::kCrashed),
                                 transport->status);
    CPPUNIT_ASSERT_MESSAGE(transport->reason,
                           contains(transport->reason, "signal 6 (Aborted) during load"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(encoder->reason, std::string(status::kCrashed), encoder->status);
    CPPUNIT_ASSERT_MESSAGE(encoder->reason,
                           contains(encoder->reason, "signal 6 (Aborted) during init"));
    const auto loaded = r.loadedPluginNames();
    CPPUNIT_ASSERT(std::find(loaded.begin(), loaded.end(), "abort_transport") == loaded.end());
    CPPUNIT_ASSERT(std::find(loaded.begin(), loaded.end(), "abort_encoder") == loaded.end());
    // Asked for by name, the crashed plugin answers with its row, still without loading it.
    CPPUNIT_ASSERT(!r.loadByName("abort_encoder", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "abort_encoder: crashed: inspection child killed"));
    // The cost of the first selection: two children (abort_transport, tcp) plus loading tcp here.
    std::cerr << "\n  cold select(transport, tcp) with an aborting candidate: " << coldMs
              << " ms (two child inspections)" << std::endl;
  }

  void testCachedVerdictNeedsNoChild() {
    Registry& r = Registry::instance();
    r.configure(abortingConfig());
    std::string why;
    CPPUNIT_ASSERT_MESSAGE(why, r.select(Kind::Transport, "tcp", &why));
    CPPUNIT_ASSERT_MESSAGE(why,
                           r.select(Kind::Encoder, "rgb24", &why, rdk::plugin::featureEncodes));
    const std::string cache = rdk::test::readFile(std::string(std::getenv("XDG_CACHE_HOME")) +
                                                  "/rdkernel/probe-cache.json");
    CPPUNIT_ASSERT_MESSAGE(cache, contains(cache, "rdk-abort_transport.so"));
    CPPUNIT_ASSERT_MESSAGE(cache, contains(cache, "rdk-abort_encoder.so"));
    // Same files, same cache, no child can start: the crash verdicts come from the cache and the
    // aborting plugins are still passed over (were one loaded here, this test process would die).
    r.setChildExecutable("/nonexistent/rdkernel");
    r.configure(abortingConfig());
    const auto cachedRows = r.rows();
    for (const char* name : {"abort_transport", "abort_encoder"}) {
      const auto* row = rdk::test::findRow(cachedRows, name);
      CPPUNIT_ASSERT(row);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(row->reason, std::string(status::kCrashed), row->status);
    }
    CPPUNIT_ASSERT_MESSAGE(why, r.select(Kind::Transport, "tcp", &why));
    // An empty cache and a child that cannot start: passed over, never loaded unchecked.
    ::setenv("XDG_CACHE_HOME", rdk::test::freshTempDir("crashcache").c_str(), 1);
    r.configure(abortingConfig());
    CPPUNIT_ASSERT_MESSAGE(why,
                           r.select(Kind::Encoder, "rgb24", &why, rdk::plugin::featureEncodes));
    const auto rows = r.rows();
    const auto* row = rdk::test::findRow(rows, "abort_encoder");
    CPPUNIT_ASSERT(row);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(row->reason, std::string(status::kLoadFailed), row->status);
    CPPUNIT_ASSERT_MESSAGE(row->reason, contains(row->reason, "cannot inspect it in a child"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashSafeLoadTest);
