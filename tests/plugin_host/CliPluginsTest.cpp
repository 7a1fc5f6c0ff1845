// `rdkernel --plugins` with the fixtures on RDK_PLUGIN_PATH: every reason shown, exit 0, and the
// listing process itself never initialises a plugin (only --verify does).
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include "fixture_env.h"
#include "rdk/json.hpp"

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

class CliPluginsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CliPluginsTest);
  CPPUNIT_TEST(testListingShowsEveryReasonAndLoadsNothing);
  CPPUNIT_TEST(testJsonVerifyLoadsInProcess);
  CPPUNIT_TEST(testUsageErrors);
  CPPUNIT_TEST(testOnePluginInFull);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    marker_ = rdk::test::freshTempDir("climarker") + "/marker";
    env_ = {{"RDK_PLUGIN_PATH", RDK_FIXTURE_PLUGIN_DIR},
            {"RDK_FIXTURE_MARKER", marker_},
            {"XDG_CACHE_HOME", rdk::test::freshTempDir("clicache")}};
  }

  void testListingShowsEveryReasonAndLoadsNothing() {
    const auto run =
        rdk::test::runRdkernel({"--plugins", "--set", "plugins.probe-timeout=2000"}, env_);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    for (const char* expected :
         {"expected ABI major 1, found 2", "plugin needs ABI 1.7, this kernel has 1.",
          "no entry symbol rdk_plugin_entry_v1",
          "librdk_fixture_stub.so: cannot open shared object file",
          "fixture: no device /dev/fixture0", "fixture: constructor threw",
          "features: manifest says", "name: manifest says 'some_other_name'",
          "probe killed by signal 6", "probe timed out after 2000 ms",
          "no manifest (expected rdk-orphan.rdkplugin.json",
          "manifest without library rdk-ghost.so", "missing-dependency", "init-failed"}) {
      CPPUNIT_ASSERT_MESSAGE(std::string(expected) + " not in:\n" + run.output,
                             contains(run.output, expected));
    }
    // Child inspections initialised good; the listing process did not.
    const std::string marker = rdk::test::readFile(marker_);
    CPPUNIT_ASSERT_MESSAGE(marker, contains(marker, "pid "));
    CPPUNIT_ASSERT_MESSAGE(marker, !contains(marker, "pid " + std::to_string(run.pid) + " "));
    CPPUNIT_ASSERT(contains(run.output, " 0 loaded"));
  }

  void testJsonVerifyLoadsInProcess() {
    const auto run = rdk::test::runRdkernel(
        {"--plugins", "--json", "--verify", "--set", "plugins.probe-timeout=2000"}, env_);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    // stderr is merged: the JSON object starts at the first '{' line.
    const std::string json = run.output.substr(run.output.find("{\n"));
    const rdk::json::Value root = rdk::json::parse(json);
    bool goodLoaded = false, initFailsSeen = false;
    for (const rdk::json::Value& p : root.at("plugins").asArray()) {
      if (p.getString("name") == "good")
        goodLoaded = p.getBool("loaded") && p.getString("status") == "loaded";
      if (p.getString("name") == "init_fails")
        initFailsSeen = p.getString("status") == "init-failed";
    }
    CPPUNIT_ASSERT_MESSAGE(json, goodLoaded);
    CPPUNIT_ASSERT(initFailsSeen);
    // --verify does load in the listing process.
    const std::string marker = rdk::test::readFile(marker_);
    CPPUNIT_ASSERT_MESSAGE(marker, contains(marker, "pid " + std::to_string(run.pid) + " "));
  }

  // Issue 20 item 9: `rdkernel --plugins NAME` shows one plugin in full (as gst-inspect-1.0
  // ELEMENT): files, status, every feature with its properties, its settings with their current
  // values.
  void testOnePluginInFull() {
    auto run = rdk::test::runRdkernel({"--plugins", "good", "--set", "plugin.good.greeting=hi",
                                       "--set", "plugins.probe-timeout=2000"},
                                      env_);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    for (const std::string& part :
         {std::string("name:        good\n"), std::string("status:      ok\n"),
          std::string("rdk-good.so\n"), std::string("rdk-good.rdkplugin.json\n"),
          std::string("features (2):\n  encoder fixture-good  rank 10\n    lossless=true\n"),
          std::string("settings (1):\n  plugin.good.greeting = hi   (default -)  [string]\n"
                      "    what the good fixture says when it starts\n")}) {
      CPPUNIT_ASSERT_MESSAGE(run.output + "\nlacks: " + part, contains(run.output, part));
    }
    run = rdk::test::runRdkernel({"--plugins", "good", "--json"}, env_);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    const rdk::json::Value detail = rdk::json::parse(run.output);
    CPPUNIT_ASSERT_EQUAL(std::string("good"), detail.getString("name"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), detail.at("settings").asArray().size());
    // The features as the manifest has them, properties in its order.
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"kind":"encoder","name":"fixture-good","rank":10,"lossless":true})"),
        detail.at("features").asArray().at(0).dump());
    run = rdk::test::runRdkernel({"--plugins", "no-such-plugin"}, env_);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 1, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(run.output, contains(run.output, "no plugin named 'no-such-plugin'"));
  }

  void testUsageErrors() {
    auto run = rdk::test::runRdkernel({"--no-such-option"}, env_);
    CPPUNIT_ASSERT_EQUAL(2, run.exitCode);
    run = rdk::test::runRdkernel({"--plugins", "--explain", "/nonexistent.json"}, env_);
    CPPUNIT_ASSERT(run.exitCode != 0);
    CPPUNIT_ASSERT_MESSAGE(run.output, contains(run.output, "negotiation not available") ||
                                           contains(run.output, "nonexistent"));
    run = rdk::test::runRdkernel({"--version"}, env_);
    CPPUNIT_ASSERT_EQUAL(0, run.exitCode);
    CPPUNIT_ASSERT(contains(run.output, "plugin ABI 1."));
  }

 private:
  std::string marker_;
  std::map<std::string, std::string> env_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CliPluginsTest);
