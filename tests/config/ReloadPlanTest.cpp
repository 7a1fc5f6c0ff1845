// A reloaded configuration (SIGHUP): the file read again with the command line's values on top,
// each changed key classed as applied at once, for the binds, for auth, or after a restart, and
// the running values swapped while other threads read them.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "rdk/config/config.h"
#include "rdk/config/reload_plan.h"

using rdk::config::Config;
using rdk::config::ConfigError;
using rdk::config::ReloadEffect;

namespace {

std::string writeFile(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/rdk-reload-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

const rdk::config::KeyChange* changeOf(const rdk::config::ReloadPlan& plan,
                                       const std::string& key) {
  for (const auto& change : plan.changes) {
    if (change.key == key)
      return &change;
  }
  return nullptr;
}

}  // namespace

class ReloadPlanTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReloadPlanTest);
  CPPUNIT_TEST(testKeysAreClassed);
  CPPUNIT_TEST(testRereadKeepsCommandLineValues);
  CPPUNIT_TEST(testRereadNamesTheBadLine);
  CPPUNIT_TEST(testPlanListsEveryChangeOnce);
  CPPUNIT_TEST(testAdoptTakesOnlyTheGivenKeys);
  CPPUNIT_TEST(testReadersSeeWholeValuesDuringAdopt);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testKeysAreClassed() {
    CPPUNIT_ASSERT(rdk::config::reloadEffect("server.bind") == ReloadEffect::Binds);
    CPPUNIT_ASSERT(rdk::config::reloadEffect("server.auth") == ReloadEffect::Auth);
    CPPUNIT_ASSERT(rdk::config::reloadEffect("server.auth.udp") == ReloadEffect::Auth);
    CPPUNIT_ASSERT(rdk::config::reloadEffect("server.max-clients") == ReloadEffect::Live);
    CPPUNIT_ASSERT(rdk::config::reloadEffect("server.encodings") == ReloadEffect::Live);
    CPPUNIT_ASSERT(rdk::config::reloadEffect("logging.level") == ReloadEffect::Live);
    // Fixed when the server started: the desktop, the threads, what plugins read once.
    for (const char* key :
         {"server.size", "server.platform", "server.encode-threads", "transport.udp.mtu",
          "transport.tls.cert", "server.ping-timeout", "encoder.vpx.threads",
          "auth.used-salt-cache-size", "plugins.deny", "logging.file"}) {
      CPPUNIT_ASSERT_MESSAGE(key, rdk::config::reloadEffect(key) == ReloadEffect::Restart);
    }
    CPPUNIT_ASSERT(rdk::config::reloadEffect("client.username") == ReloadEffect::NotServer);
  }

  void testRereadKeepsCommandLineValues() {
    const std::string path = writeFile("keep.conf", "server.max-clients = 4\nserver.fps = 20\n");
    Config running = Config::load(path);
    running.set("server.fps", "50", "--set", 1);  // the command line wins, as at start-up
    std::ofstream(path) << "server.max-clients = 9\nserver.fps = 25\nserver.size = 640x480\n";
    const Config next = running.reread();
    CPPUNIT_ASSERT_EQUAL(9LL, next.getInt("server.max-clients"));
    CPPUNIT_ASSERT_EQUAL(50LL, next.getInt("server.fps"));
    CPPUNIT_ASSERT_EQUAL(std::string("--set"), next.origin("server.fps").first);
    CPPUNIT_ASSERT_EQUAL(3, next.origin("server.size").second);
    std::remove(path.c_str());
  }

  void testRereadNamesTheBadLine() {
    const std::string path = writeFile("bad.conf", "server.max-clients = 4\n");
    const Config running = Config::load(path);
    std::ofstream(path) << "server.max-clients = 4\nserver.max-clients-typo = 5\n";
    try {
      (void)running.reread();
      CPPUNIT_FAIL("a bad line was accepted");
    } catch (const ConfigError& e) {
      CPPUNIT_ASSERT_EQUAL(path, e.file());
      CPPUNIT_ASSERT_EQUAL(2, e.line());
    }
    std::remove(path.c_str());
    try {
      (void)running.reread();
      CPPUNIT_FAIL("a missing file was accepted");
    } catch (const ConfigError& e) {
      CPPUNIT_ASSERT_EQUAL(0, e.line());
    }
  }

  void testPlanListsEveryChangeOnce() {
    const Config running = Config::parse("server.max-clients = 4\nserver.size = 800x600\n", "a");
    const Config next =
        Config::parse("server.size = 640x480\nserver.bind = tcp://127.0.0.1:1\n", "a");
    const auto plan = rdk::config::planReload(running, next);
    CPPUNIT_ASSERT_EQUAL(size_t(3), plan.changes.size());
    const auto* clients = changeOf(plan, "server.max-clients");
    CPPUNIT_ASSERT(clients);
    CPPUNIT_ASSERT_EQUAL(std::string("4"), clients->before);
    CPPUNIT_ASSERT_EQUAL(next.getString("server.max-clients"), clients->after);  // the default
    CPPUNIT_ASSERT(plan.has(ReloadEffect::Binds));
    CPPUNIT_ASSERT_EQUAL(size_t(1), plan.restartKeys().size());
    CPPUNIT_ASSERT_EQUAL(std::string("server.size"), plan.restartKeys()[0]);
    CPPUNIT_ASSERT_EQUAL(size_t(2), plan.adoptedKeys().size());
    const auto lines = plan.describe();
    CPPUNIT_ASSERT(lines[2].find("server.size '800x600' -> '640x480' (needs a restart") == 0);
    CPPUNIT_ASSERT(rdk::config::planReload(running, running).changes.empty());
  }

  void testAdoptTakesOnlyTheGivenKeys() {
    Config running = Config::parse("server.max-clients = 4\nserver.size = 800x600\n", "a");
    const Config next = Config::parse("server.size = 640x480\nserver.fps = 12\n", "b");
    running.adopt(next, {"server.max-clients", "server.fps"});
    CPPUNIT_ASSERT(!running.isSet("server.max-clients"));  // unset in |next|: the default
    CPPUNIT_ASSERT_EQUAL(12LL, running.getInt("server.fps"));
    CPPUNIT_ASSERT_EQUAL(std::string("b"), running.origin("server.fps").first);
    CPPUNIT_ASSERT_EQUAL(800, running.getSize("server.size").width);  // not adopted
  }

  void testReadersSeeWholeValuesDuringAdopt() {
    Config running = Config::parse("server.bind = tcp://127.0.0.1:1,udp://127.0.0.1:1\n", "a");
    const Config a = running;
    const Config b = Config::parse("server.bind = ssl://127.0.0.1:2\n", "b");
    std::atomic<bool> stop{false};
    std::atomic<int> torn{0};
    std::thread reader([&] {
      while (!stop.load()) {
        const auto binds = running.getList("server.bind");
        if (!(binds.size() == 2 && binds[1] == "udp://127.0.0.1:1") &&
            !(binds.size() == 1 && binds[0] == "ssl://127.0.0.1:2")) {
          ++torn;
        }
      }
    });
    for (int i = 0; i < 20000; ++i)
      running.adopt(i % 2 ? a : b, {"server.bind"});
    stop = true;
    reader.join();
    CPPUNIT_ASSERT_EQUAL(0, torn.load());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReloadPlanTest);
