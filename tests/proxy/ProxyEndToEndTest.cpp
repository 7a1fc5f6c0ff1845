#include "ProxyEndToEndTest.h"

#include <signal.h>
#include <sys/stat.h>
#include <atomic>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "proxy_test_support.hpp"
#include "rdk/proxy/state_file.h"
#include "test_files.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyEndToEndTest);

using rdk::test::ChildProcess;
using rdk::test::readFile;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using rdk::test::writeFile;
using rdk::test::proxy::kRdkernel;
using rdk::test::proxy::pngSize;

namespace {

/// A proxy over |users| with child sessions, state and session logs in |dir|/state.
struct Proxy {
  Proxy(const std::string& dir, const std::string& users,
        const std::vector<std::string>& extra = {})
      : dir(dir) {
    writeFile(dir + "/users", users);
    chmod((dir + "/users").c_str(), 0600);
    std::vector<std::string> argv{kRdkernel,    "proxy",        "--bind",      "tcp://127.0.0.1:0",
                                  "--users",    dir + "/users", "--state-dir", dir + "/state",
                                  "--launcher", "child"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<ChildProcess>(argv, dir + "/proxy.log");
    const std::string line = process->waitForOutput("listening on tcp://", 20000);
    CPPUNIT_ASSERT_MESSAGE(process->output(), !line.empty());
    url = line.substr(line.find("tcp://"), line.find(" (proxy") - line.find("tcp://"));
  }

  /// rdkernel attach through the proxy: (exit code, JSON summary and messages).
  std::pair<int, std::string> attach(const std::string& user, const std::string& password,
                                     const std::string& snapshot = "") {
    const std::string pw = dir + "/" + user + "-" + std::to_string(++attaches) + ".pw";
    writeFile(pw, password);
    std::vector<std::string> argv{kRdkernel,         "attach",     url,          "--username", user,
                                  "--password-file", pw,           "--headless", "--seconds",  "2",
                                  "--json",          "--no-status"};
    if (!snapshot.empty()) {
      argv.push_back("--snapshot");
      argv.push_back(snapshot);
    }
    return runProgram(argv, pw + ".log", 60000);
  }

  rdk::proxy::ProxyState state() {
    return rdk::proxy::parseState(readFile(dir + "/state/state.json"));
  }

  int64_t sessionPid(const std::string& user) {
    for (const auto& s : state().sessions)
      if (s.user == user)
        return s.pid;
    return 0;
  }

  std::string dir, url;
  std::unique_ptr<ChildProcess> process;
  std::atomic<int> attaches{0};  // attach() runs on several threads at once
};

}  // namespace

void ProxyEndToEndTest::testThreeUsersGetTheirOwnSessions() {
  const std::string dir = testDirectory("proxy-three-users");
  Proxy proxy(dir,
              "alice|wonderland|||||size=320x240\n"
              "bob|builder|||||size=400x300\n"
              "carol|singer|||||size=480x360\n");
  const std::vector<std::pair<std::string, std::string>> users{
      {"alice", "wonderland"}, {"bob", "builder"}, {"carol", "singer"}};
  std::vector<std::pair<int, std::string>> results(users.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < users.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          proxy.attach(users[i].first, users[i].second, dir + "/" + users[i].first + ".png");
    });
  }
  for (auto& t : threads)
    t.join();
  const std::vector<std::string> sizes{"320x240", "400x300", "480x360"};
  for (size_t i = 0; i < users.size(); ++i) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(results[i].second + proxy.process->output(), 0, results[i].first);
    CPPUNIT_ASSERT_MESSAGE(results[i].second,
                           results[i].second.find("\"handshake\":true") != std::string::npos);
    // Each user's desktop is the one their users-file line asked for.
    CPPUNIT_ASSERT_EQUAL_MESSAGE(users[i].first, sizes[i],
                                 pngSize(dir + "/" + users[i].first + ".png"));
  }
  // The proxy rewrites its state file twice a second: the last session may be a write behind.
  int64_t a = 0, b = 0, c = 0;
  for (int tries = 0; tries < 50 && (a <= 0 || b <= 0 || c <= 0); ++tries) {
    if (tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    a = proxy.sessionPid("alice"), b = proxy.sessionPid("bob"), c = proxy.sessionPid("carol");
  }
  CPPUNIT_ASSERT_MESSAGE(readFile(dir + "/state/state.json"),
                         a > 0 && b > 0 && c > 0 && a != b && b != c && a != c);
  // A second attach of alice finds her running session.
  auto again = proxy.attach("alice", "wonderland");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(again.second, 0, again.first);
  CPPUNIT_ASSERT_EQUAL(a, proxy.sessionPid("alice"));
  auto [code, table] = runProgram(
      {kRdkernel, "proxy", "--list", "--users", dir + "/users", "--state-dir", dir + "/state"},
      dir + "/list.log", 20000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(table, 0, code);
  for (const auto& [name, pw] : users)
    CPPUNIT_ASSERT_MESSAGE(table, table.find(name + std::string(16 - name.size(), ' ') +
                                             " running") != std::string::npos);
}

void ProxyEndToEndTest::testWrongPasswordIsRefusedAtTheProxy() {
  const std::string dir = testDirectory("proxy-wrong-password");
  Proxy proxy(dir, "alice|wonderland\n");
  auto [code, out] = proxy.attach("alice", "looking-glass");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 1, code);
  CPPUNIT_ASSERT_MESSAGE(out, out.find("authentication failed") != std::string::npos);
  auto [unknownCode, unknownOut] = proxy.attach("mallory", "wonderland");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(unknownOut, 1, unknownCode);
  // Refused before any session was started.
  CPPUNIT_ASSERT(proxy.state().sessions.empty());
  CPPUNIT_ASSERT_MESSAGE(
      proxy.process->output(),
      proxy.process->output().find("user 'alice': authentication failed") != std::string::npos);
}

void ProxyEndToEndTest::testKilledSessionIsReplacedAtTheNextAttach() {
  const std::string dir = testDirectory("proxy-killed-session");
  Proxy proxy(dir, "alice|wonderland\n");
  auto first = proxy.attach("alice", "wonderland");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(first.second, 0, first.first);
  const int64_t pid = proxy.sessionPid("alice");
  CPPUNIT_ASSERT(pid > 0);
  CPPUNIT_ASSERT_EQUAL(0, ::kill(static_cast<pid_t>(pid), SIGKILL));
  // The reaper notices within about a second; the next attach would notice anyway.
  CPPUNIT_ASSERT_MESSAGE(proxy.process->output(),
                         !proxy.process->waitForOutput("alice: session ended", 20000).empty());
  auto second = proxy.attach("alice", "wonderland");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(second.second + proxy.process->output(), 0, second.first);
  CPPUNIT_ASSERT(second.second.find("\"handshake\":true") != std::string::npos);
  const int64_t replacement = proxy.sessionPid("alice");
  CPPUNIT_ASSERT(replacement > 0 && replacement != pid);
}

void ProxyEndToEndTest::testBadUsersFileIsRefusedWithItsLine() {
  const std::string dir = testDirectory("proxy-bad-users");
  writeFile(dir + "/users", "alice|pw\nbob|pw|||||colour=blue\n");
  auto [code, out] = runProgram({kRdkernel, "proxy", "--bind", "tcp://127.0.0.1:0", "--users",
                                 dir + "/users", "--state-dir", dir + "/state"},
                                dir + "/proxy.log", 20000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 2, code);
  CPPUNIT_ASSERT_MESSAGE(
      out, out.find(dir + "/users:2: unknown session option 'colour'") != std::string::npos);
}

void ProxyEndToEndTest::testIdleSocketsAreBounded() {
  const std::string dir = testDirectory("proxy-idle-sockets");
  Proxy proxy(dir, "alice|wonderland\n", {"--max-connections", "2"});
  const int port = std::stoi(proxy.url.substr(proxy.url.rfind(':') + 1));
  auto connect = [port] {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CPPUNIT_ASSERT_EQUAL(0, ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
    return fd;
  };
  // Two silent sockets take the two places; a third is closed at once, not queued.
  const int a = connect(), b = connect();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int c = connect();
  pollfd p{c, POLLIN, 0};
  CPPUNIT_ASSERT_EQUAL(1, poll(&p, 1, 10000));
  char byte = 0;
  CPPUNIT_ASSERT(recv(c, &byte, 1, 0) <= 0);
  close(c);
  close(a);
  close(b);
  // Their places come back (threads end when the peers leave, reaped within a second).
  std::pair<int, std::string> attached{-1, ""};
  for (int i = 0; i < 10 && attached.first != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    attached = proxy.attach("alice", "wonderland");
  }
  CPPUNIT_ASSERT_EQUAL_MESSAGE(attached.second, 0, attached.first);
}
