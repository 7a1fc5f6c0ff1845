// Issue 22 item 5, end to end: the real `rdkernel serve` with an aborting plugin on
// RDK_PLUGIN_PATH and an empty inspection cache (XDG_CACHE_HOME). A transport that aborts is met
// at start, an encoder that aborts at the first client; the server must keep running, the client
// must get its hello and frames, and `rdkernel --plugins` must list the plugin as crashed.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include "fixture_env.h"

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

class ServeCrashSafetyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServeCrashSafetyTest);
  CPPUNIT_TEST(testServeSurvivesAbortingTransportAtStart);
  CPPUNIT_TEST(testServeSurvivesAbortingEncoderAtFirstClient);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testServeSurvivesAbortingTransportAtStart() {
    runScenario(RDK_FIXTURE_ABORT_TRANSPORT_DIR, "abort_transport", "during load");
  }

  void testServeSurvivesAbortingEncoderAtFirstClient() {
    runScenario(RDK_FIXTURE_ABORT_ENCODER_DIR, "abort_encoder", "during init");
  }

 private:
  void runScenario(const std::string& pluginDir, const std::string& plugin,
                   const std::string& phase) {
    const std::string work = rdk::test::freshTempDir("servecrash");
    const std::map<std::string, std::string> env = {{"RDK_PLUGIN_PATH", pluginDir},
                                                    {"XDG_CACHE_HOME", work + "/cache"}};
    rdk::test::Background server = rdk::test::startRdkernel(
        {"serve", "--bind", "tcp://127.0.0.1:0"}, env, work + "/serve.log");
    CPPUNIT_ASSERT(server.pid > 0);
    const std::string listening = rdk::test::waitForLog(server, "listening on tcp://", 20000);
    CPPUNIT_ASSERT_MESSAGE("serve did not start:\n" + rdk::test::readFile(server.log),
                           !listening.empty());
    const std::string url = listening.substr(std::string("listening on ").size());

    // A client (its own plugin path and cache) connects: the server selects its encoders now.
    const auto client = rdk::test::runRdkernel(
        {"attach", url, "--headless", "--seconds", "1.5", "--json", "--no-status"},
        {{"XDG_CACHE_HOME", work + "/client-cache"}});
    int status = 0;
    const bool alive = server.running();
    status = server.status;
    CPPUNIT_ASSERT_MESSAGE("serve died (wait status " + std::to_string(status) + "):\n" +
                               rdk::test::readFile(server.log),
                           alive);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(client.output, 0, client.exitCode);
    CPPUNIT_ASSERT_MESSAGE(client.output, contains(client.output, "\"handshake\":true"));
    CPPUNIT_ASSERT_MESSAGE(client.output, contains(client.output, "\"hello\":1"));
    CPPUNIT_ASSERT_MESSAGE(client.output, !contains(client.output, "\"draws\":0,"));

    status = server.stop(SIGTERM);
    const std::string log = rdk::test::readFile(server.log);
    CPPUNIT_ASSERT_MESSAGE(log, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CPPUNIT_ASSERT_MESSAGE(log, contains(log, "server stopped: 1 clients"));
    CPPUNIT_ASSERT_MESSAGE(log, contains(log, plugin +
                                                  ": crashed: inspection child killed by "
                                                  "signal 6 (Aborted) " +
                                                  phase));

    // The listing shows why (from the verdict serve cached: same cache directory).
    const auto listing = rdk::test::runRdkernel({"--plugins"}, env);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(listing.output, 0, listing.exitCode);
    const size_t row = listing.output.find(plugin + " ");
    CPPUNIT_ASSERT_MESSAGE(listing.output, row != std::string::npos);
    const std::string rowText = listing.output.substr(row, listing.output.find("\n", row) - row);
    CPPUNIT_ASSERT_MESSAGE(listing.output, contains(rowText, " crashed "));
    CPPUNIT_ASSERT_MESSAGE(listing.output, contains(listing.output,
                                                    "reason: inspection child killed by signal 6 "
                                                    "(Aborted) " +
                                                        phase));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServeCrashSafetyTest);
