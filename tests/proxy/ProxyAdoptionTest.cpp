#include "ProxyAdoptionTest.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "child_process.hpp"
#include "proxy_test_support.hpp"
#include "rdk/proxy/session_record_file.h"
#include "rdk/proxy/state_file.h"
#include "test_files.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyAdoptionTest);

using rdk::proxy::formatSavedSession;
using rdk::proxy::parseSavedSession;
using rdk::proxy::processStartTime;
using rdk::proxy::SavedSession;
using rdk::test::ChildProcess;
using rdk::test::readFile;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using rdk::test::writeFile;
using rdk::test::proxy::kRdkernel;
using rdk::test::proxy::pngSize;

namespace {

int64_t sessionPid(const std::string& dir, const std::string& user) {
  for (const auto& s : rdk::proxy::parseState(readFile(dir + "/state/state.json")).sessions)
    if (s.user == user)
      return s.pid;
  return 0;
}

bool gone(int64_t pid, int waitMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
  while (processStartTime(pid) != 0) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

void ProxyAdoptionTest::testSavedSessionRecord() {
  SavedSession saved;
  saved.user = "alice";
  saved.session.host = "127.0.0.1";
  saved.session.port = 40001;
  saved.session.udpPort = 40002;
  saved.session.wsPort = 40003;
  saved.session.pid = 4242;
  saved.session.log = "/run/p/alice.log";
  saved.token = std::string(64, 'a');
  saved.processStart = 123456;
  const auto back = parseSavedSession(formatSavedSession(saved));
  CPPUNIT_ASSERT(back);
  CPPUNIT_ASSERT_EQUAL(saved.user, back->user);
  CPPUNIT_ASSERT_EQUAL(saved.token, back->token);
  CPPUNIT_ASSERT_EQUAL(40001, back->session.port);
  CPPUNIT_ASSERT_EQUAL(40002, back->session.udpPort);
  CPPUNIT_ASSERT_EQUAL(40003, back->session.wsPort);
  CPPUNIT_ASSERT_EQUAL(int64_t(4242), back->session.pid);
  CPPUNIT_ASSERT_EQUAL(std::string("/run/p/alice.log"), back->session.log);
  CPPUNIT_ASSERT_EQUAL(uint64_t(123456), back->processStart);
  // Cut short (a crash while writing), or nonsense: ignored.
  const std::string text = formatSavedSession(saved);
  CPPUNIT_ASSERT(!parseSavedSession(text.substr(0, text.find("token="))));
  CPPUNIT_ASSERT(!parseSavedSession(""));
  std::string badPort = text;
  badPort.replace(badPort.find("port=40001"), 10, "port=99999");
  CPPUNIT_ASSERT(!parseSavedSession(badPort));
  CPPUNIT_ASSERT(processStartTime(getpid()) > 0);
  CPPUNIT_ASSERT_EQUAL(uint64_t(0), processStartTime(0));
  CPPUNIT_ASSERT_EQUAL(uint64_t(0), processStartTime(4194304 + 1));  // above pid_max
}

void ProxyAdoptionTest::testRestartedProxyAdoptsRunningSessions() {
  const std::string dir = testDirectory("proxy-adoption");
  writeFile(dir + "/users", "alice|wonderland|||||size=320x240\nbob|builder\n");
  chmod((dir + "/users").c_str(), 0600);
  writeFile(dir + "/pw", "wonderland");
  auto startProxy = [&](const std::string& name, bool keep) {
    std::vector<std::string> argv{kRdkernel,    "proxy",        "--bind",      "tcp://127.0.0.1:0",
                                  "--users",    dir + "/users", "--state-dir", dir + "/state",
                                  "--launcher", "child"};
    if (keep)
      argv.push_back("--keep-sessions");
    auto proxy = std::make_unique<ChildProcess>(argv, dir + "/" + name + ".log");
    const std::string line = proxy->waitForOutput("listening on tcp://", 20000);
    CPPUNIT_ASSERT_MESSAGE(proxy->output(), !line.empty());
    return std::make_pair(
        std::move(proxy),
        line.substr(line.find("tcp://"), line.find(" (proxy") - line.find("tcp://")));
  };
  auto attach = [&](const std::string& url, const std::string& snapshot) {
    return runProgram(
        {kRdkernel, "attach", url, "--username", "alice", "--password-file", dir + "/pw",
         "--headless", "--seconds", "1.5", "--json", "--no-status", "--snapshot", snapshot},
        snapshot + ".log", 60000);
  };
  int64_t pid = 0;
  {
    auto [first, url] = startProxy("proxy1", true);
    auto result = attach(url, dir + "/first.png");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(result.second + first->output(), 0, result.first);
    pid = sessionPid(dir, "alice");
    CPPUNIT_ASSERT(pid > 0);
    first->stop();  // SIGTERM: with --keep-sessions the session stays
  }
  CPPUNIT_ASSERT_MESSAGE("the session ended with a --keep-sessions proxy",
                         processStartTime(pid) != 0);
  // A record whose process is not the one it names (a recycled pid) is dropped at the start.
  SavedSession stale;
  stale.user = "bob";
  stale.session.port = 1;
  stale.session.pid = getpid();
  stale.token = std::string(64, 'b');
  stale.processStart = 1;
  writeFile(dir + "/state/bob.session", formatSavedSession(stale));
  auto [second, url] = startProxy("proxy2", false);
  struct Cleanup {  // whatever happens, the adopted session does not outlive the test
    int64_t pid;
    ~Cleanup() {
      if (pid > 0 && processStartTime(pid) != 0)
        kill(static_cast<pid_t>(-pid), SIGKILL);
    }
  } cleanup{pid};
  const std::string adopted =
      second->waitForOutput("adopted alice's session (pid " + std::to_string(pid), 10000);
  CPPUNIT_ASSERT_MESSAGE(second->output(), !adopted.empty());
  CPPUNIT_ASSERT(second->output().find("adopted bob") == std::string::npos);
  CPPUNIT_ASSERT(readFile(dir + "/state/bob.session").empty());
  // alice reaches the same process and desktop through the new proxy (its token still works).
  auto result = attach(url, dir + "/second.png");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(result.second + second->output(), 0, result.first);
  CPPUNIT_ASSERT_MESSAGE(result.second,
                         result.second.find("\"handshake\":true") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(std::string("320x240"), pngSize(dir + "/second.png"));
  CPPUNIT_ASSERT_EQUAL(pid, sessionPid(dir, "alice"));
  CPPUNIT_ASSERT_MESSAGE(second->output(),
                         second->output().find("user 'alice' -> session pid " +
                                               std::to_string(pid)) != std::string::npos);
  // Without --keep-sessions the adopted session ends with this proxy, and so does its record.
  second->stop();
  CPPUNIT_ASSERT_MESSAGE("the adopted session outlived a proxy without --keep-sessions",
                         gone(pid, 10000));
  CPPUNIT_ASSERT(readFile(dir + "/state/alice.session").empty());
}
