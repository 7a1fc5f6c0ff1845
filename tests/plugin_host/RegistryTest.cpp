// The registry against the fixture plugins, in this process: scan without loading, child
// inspection, on-demand loading, broken plugins turned into rows, policy and ordering.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <fstream>

#include "fixture_env.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/kernel/plugin_status.h"

using rdk::plugin::Kind;
using rdk::plugin::Registry;
namespace status = rdk::plugin::status;

namespace {

rdk::config::Config fixtureConfig(const std::vector<std::string>& sets = {}) {
  rdk::config::Config config;
  config.set("plugins.path", RDK_FIXTURE_PLUGIN_DIR);
  config.set("plugin.good.greeting", "from-config");
  config.set("plugins.probe-timeout", "700");  // probe_hangs must cost little
  for (const std::string& s : sets)
    config.setAssignment(s);
  return config;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

void expectRow(const std::vector<rdk::plugin::StatusRow>& rows, const std::string& name,
               const std::string& status, const std::string& reasonPart) {
  const auto* row = rdk::test::findRow(rows, name);
  CPPUNIT_ASSERT_MESSAGE("no row for " + name, row);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(name + ": " + row->reason, status, row->status);
  CPPUNIT_ASSERT_MESSAGE(name + " reason '" + row->reason + "' lacks '" + reasonPart + "'",
                         contains(row->reason, reasonPart));
}

}  // namespace

class RegistryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RegistryTest);
  CPPUNIT_TEST(testScanGivesRowsWithoutLoading);
  CPPUNIT_TEST(testChildInspectionGivesPreciseReasons);
  CPPUNIT_TEST(testCachedInspectionNeedsNoChild);
  CPPUNIT_TEST(testProbeCacheFollowsDeclaredDependencies);
  CPPUNIT_TEST(testFeaturesOrderProbeAndPrefer);
  CPPUNIT_TEST(testBrokenPluginsFailInProcessWithoutCrash);
  CPPUNIT_TEST(testSelectLoadsOnDemandAndFallsThrough);
  CPPUNIT_TEST(testAllowAndDenyLists);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    ::unsetenv("RDK_PLUGIN_PATH");
    ::unsetenv("RDK_FIXTURE_PROBE_DEVICE");
    ::unsetenv("RDK_FIXTURE_PROBE_MODE");
    marker_ = rdk::test::freshTempDir("marker") + "/marker";
    ::setenv("RDK_FIXTURE_MARKER", marker_.c_str(), 1);
    ::setenv("XDG_CACHE_HOME", rdk::test::freshTempDir("cache").c_str(), 1);
    Registry::instance().setChildExecutable(RDKERNEL_EXE);
    // Other suites share the registry and may have loaded real plugins already.
    loadedBefore_ = Registry::instance().loadedPluginNames();
  }

  void testScanGivesRowsWithoutLoading() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());
    const auto rows = r.rows();
    expectRow(rows, "abi_major_2", status::kIncompatibleAbi, "expected ABI major 1, found 2");
    expectRow(rows, "abi_minor_future", status::kTooNew, "needs ABI 1.7");
    expectRow(rows, "no_entry_symbol", status::kNotAPlugin, "no entry symbol rdk_plugin_entry_v1");
    expectRow(rows, "some_other_name", status::kManifestMismatch, "name: manifest says");
    expectRow(rows, "orphan", status::kNotAPlugin, "no manifest");
    expectRow(rows, "ghost", status::kNotAPlugin, "manifest without library");
    // Not knowable without running code: still ok after a scan.
    expectRow(rows, "good", status::kOk, "");
    expectRow(rows, "init_fails", status::kOk, "");
    CPPUNIT_ASSERT(r.loadedPluginNames() == loadedBefore_);  // this test loaded nothing
    CPPUNIT_ASSERT(!std::filesystem::exists(marker_));
  }

  void testChildInspectionGivesPreciseReasons() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());
    r.inspectAll(false);
    const auto rows = r.rows();
    expectRow(rows, "missing_dependency", status::kMissingDependency,
              "librdk_fixture_stub.so: cannot open shared object file");
    expectRow(rows, "init_fails", status::kInitFailed, "fixture: no device /dev/fixture0");
    expectRow(rows, "init_throws", status::kInitFailed, "fixture: constructor threw");
    expectRow(rows, "manifest_mismatch", status::kManifestMismatch, "features: manifest says");
    expectRow(rows, "probe_crashes", status::kProbeFailed, "signal 6");
    expectRow(rows, "probe_hangs", status::kProbeFailed, "timed out after 700 ms");
    expectRow(rows, "good", status::kOk, "");
    expectRow(rows, "probe_hw", status::kOk, "");
    // Children did the loading; this process did not.
    CPPUNIT_ASSERT(r.loadedPluginNames() == loadedBefore_);  // this test loaded nothing
    const std::string marker = rdk::test::readFile(marker_);
    CPPUNIT_ASSERT_MESSAGE(marker, contains(marker, "greeting from-config"));
    CPPUNIT_ASSERT(!contains(marker, "pid " + std::to_string(::getpid()) + " "));
  }

  void testCachedInspectionNeedsNoChild() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());
    r.inspectAll(false);
    // Same cache, no way to start a child: the results must come from the cache.
    r.setChildExecutable("/nonexistent/rdkernel");
    r.configure(fixtureConfig());
    r.inspectAll(false);
    const auto rows = r.rows();
    expectRow(rows, "init_fails", status::kInitFailed, "no device");
    expectRow(rows, "probe_crashes", status::kProbeFailed, "signal 6");
  }

  void testProbeCacheFollowsDeclaredDependencies() {
    // The probe's answer depends on a device file and a variable; the cache must notice both.
    const std::string device = rdk::test::freshTempDir("device") + "/fixture0";
    ::setenv("RDK_FIXTURE_PROBE_DEVICE", device.c_str(), 1);
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());
    r.inspectAll(false);
    expectRow(r.rows(), "probe_hw", status::kProbeFailed, "no fixture device " + device);
    // The device appears: the cached failure is stale and the probe runs again.
    { std::ofstream(device) << "present"; }
    r.configure(fixtureConfig());
    r.inspectAll(false);
    expectRow(r.rows(), "probe_hw", status::kOk, "");
    // Nothing changed: served from the cache, no child needed.
    r.setChildExecutable("/nonexistent/rdkernel");
    r.configure(fixtureConfig());
    r.inspectAll(false);
    expectRow(r.rows(), "probe_hw", status::kOk, "");
    // A declared variable changes: the cached "ok" is not trusted and the probe runs again.
    ::setenv("RDK_FIXTURE_PROBE_MODE", "off", 1);
    r.setChildExecutable(RDKERNEL_EXE);
    r.configure(fixtureConfig());
    r.inspectAll(false);
    expectRow(r.rows(), "probe_hw", status::kProbeFailed, "switched off by RDK_FIXTURE_PROBE_MODE");
    ::unsetenv("RDK_FIXTURE_PROBE_DEVICE");
    ::unsetenv("RDK_FIXTURE_PROBE_MODE");
  }

  void testFeaturesOrderProbeAndPrefer() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());
    r.inspectAll(false);
    auto names = [&] {
      std::vector<std::string> out;
      // Only the fixtures: the real plugins of the build tree sit in the default directory too.
      for (const auto& f : r.features(Kind::Encoder)) {
        if (f.name.rfind("fixture-", 0) == 0)
          out.push_back(f.plugin + "/" + f.name);
      }
      return out;
    };
    auto order = names();
    // Rank order; fixture-hw-b was declared but the probe did not find it; broken plugins absent.
    const std::vector<std::string> expected = {"probe_hw/fixture-shared", "probe_hw/fixture-hw-a",
                                               "good/fixture-good", "good/fixture-shared"};
    std::string got;
    for (const auto& name : order)
      got += name + " ";
    CPPUNIT_ASSERT_MESSAGE("feature order: " + got, order == expected);
    r.configure(fixtureConfig({"plugins.prefer.encoder=good"}));
    order = names();
    CPPUNIT_ASSERT_EQUAL(std::string("good/fixture-good"), order.at(0));
    CPPUNIT_ASSERT_EQUAL(std::string("good/fixture-shared"), order.at(1));
    for (const auto& f : r.features(Kind::Transport))
      CPPUNIT_ASSERT_MESSAGE(f.name, f.name.rfind("fixture-", 0) != 0);
    const auto good = r.features(Kind::Encoder).at(0);
    CPPUNIT_ASSERT(good.properties.getBool("lossless"));
  }

  void testBrokenPluginsFailInProcessWithoutCrash() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());  // fresh cache: nothing known beyond the scan
    // No child executable: the in-process failure paths themselves (with one, the child finds
    // these failures first, see testChildInspectionGivesPreciseReasons).
    r.setChildExecutable("");
    std::string why;
    CPPUNIT_ASSERT(!r.loadByName("init_throws", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "fixture: constructor threw"));
    CPPUNIT_ASSERT(contains(Registry::lastPluginError(), "fixture: constructor threw"));
    CPPUNIT_ASSERT(!r.loadByName("init_fails", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "init-failed: fixture: no device"));
    CPPUNIT_ASSERT(!r.loadByName("missing_dependency", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "missing-dependency: librdk_fixture_stub.so"));
    CPPUNIT_ASSERT(!r.loadByName("manifest_mismatch", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "manifest-mismatch: features"));
    CPPUNIT_ASSERT(!r.loadByName("abi_major_2", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "incompatible-abi"));
    CPPUNIT_ASSERT(!r.loadByName("no_such_plugin", &why));
    const auto rows = r.rows();
    expectRow(rows, "init_throws", status::kInitFailed, "constructor threw");
    expectRow(rows, "missing_dependency", status::kMissingDependency, "cannot open shared");
    CPPUNIT_ASSERT(r.loadedPluginNames() == loadedBefore_);  // this test loaded nothing
  }

  void testSelectLoadsOnDemandAndFallsThrough() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig());
    std::string why;
    // init_fails ranks highest for its capability but cannot load: nothing else provides it.
    CPPUNIT_ASSERT(!r.select(Kind::Encoder, "fixture-init-fails", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "no device"));
    CPPUNIT_ASSERT(!r.select(Kind::Transport, "carrier-pigeon", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "no usable plugin provides transport"));
    rdk::plugin::LoadedPlugin* good = r.select(Kind::Encoder, "fixture-good", &why);
    CPPUNIT_ASSERT_MESSAGE(why, good);
    CPPUNIT_ASSERT_EQUAL(std::string("good"), std::string(good->descriptor->name));
    CPPUNIT_ASSERT(good->state);
    CPPUNIT_ASSERT(r.select(Kind::Encoder, "fixture-good") == good);  // loaded once
    const auto loaded = r.loadedPluginNames();
    CPPUNIT_ASSERT(std::find(loaded.begin(), loaded.end(), "good") != loaded.end());
    const std::string marker = rdk::test::readFile(marker_);
    CPPUNIT_ASSERT_MESSAGE(
        marker, contains(marker, "pid " + std::to_string(::getpid()) + " greeting from-config"));
    expectRow(r.rows(), "good", status::kLoaded, "");
    // A probe plugin is probed in a child before it is loaded here.
    rdk::plugin::LoadedPlugin* hw = r.select(Kind::Encoder, "fixture-hw-a", &why);
    CPPUNIT_ASSERT_MESSAGE(why, hw);
    CPPUNIT_ASSERT(!r.select(Kind::Encoder, "fixture-hw-b", &why));
    // Rescanning keeps loaded plugins loaded.
    r.configure(fixtureConfig());
    expectRow(r.rows(), "good", status::kLoaded, "");
    const rdk_host_api* host = r.hostApi();
    CPPUNIT_ASSERT_EQUAL(std::string("from-config"),
                         std::string(host->config_get(host->ctx, "plugin.good.greeting")));
    CPPUNIT_ASSERT(host->config_get(host->ctx, "no.such.key") == nullptr);
    CPPUNIT_ASSERT(host->now_us(host->ctx) > 0);
  }

  void testAllowAndDenyLists() {
    Registry& r = Registry::instance();
    r.configure(fixtureConfig({"plugins.deny=init_fails,probe_hw"}));
    expectRow(r.rows(), "init_fails", status::kDisabled, "plugins.deny");
    r.configure(fixtureConfig({"plugins.allow=good"}));
    expectRow(r.rows(), "init_throws", status::kDisabled, "not listed in plugins.allow");
    std::string why;
    CPPUNIT_ASSERT(!r.loadByName("init_throws", &why));
    CPPUNIT_ASSERT_MESSAGE(why, contains(why, "disabled"));
  }

 private:
  std::string marker_;
  std::vector<std::string> loadedBefore_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RegistryTest);
