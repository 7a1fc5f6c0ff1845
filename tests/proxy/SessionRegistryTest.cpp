#include "SessionRegistryTest.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "rdk/proxy/child_launcher.h"
#include "rdk/proxy/session_registry.h"
#include "rdk/proxy/systemd_launcher.h"

CPPUNIT_TEST_SUITE_REGISTRATION(SessionRegistryTest);

using namespace rdk::proxy;

namespace {

class FakeLauncher : public SessionLauncher {
 public:
  std::string name() const override { return "fake"; }
  bool launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
              std::string* error) override {
    ++launches;
    if (delayMs)
      std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    if (fail) {
      *error = "no room";
      return false;
    }
    std::lock_guard<std::mutex> lock(mutex);
    out->port = 40000 + launches;
    out->pid = 1000 + launches;
    out->handle = user.name + "#" + std::to_string(launches.load());
    tokens.insert(token);
    live.insert(out->pid);
    return true;
  }
  bool alive(const LaunchedSession& s) override {
    std::lock_guard<std::mutex> lock(mutex);
    return live.count(s.pid) > 0;
  }
  void stop(const LaunchedSession& s) override {
    std::lock_guard<std::mutex> lock(mutex);
    live.erase(s.pid);
    ++stops;
  }
  void kill(int64_t pid) {
    std::lock_guard<std::mutex> lock(mutex);
    live.erase(pid);
  }
  std::atomic<int> launches{0}, stops{0};
  int delayMs = 0;
  bool fail = false;
  std::mutex mutex;
  std::set<int64_t> live;
  std::set<std::string> tokens;
};

UserEntry user(const std::string& name) {
  UserEntry u;
  u.name = name;
  u.password = "pw";
  return u;
}

std::string counterToken() {
  static std::atomic<int> n{0};
  return "token" + std::to_string(++n);
}

class FakeRunner : public CommandRunner {
 public:
  int run(const std::vector<std::string>& argv) override {
    commands.push_back(argv);
    if (argv[0] == "systemd-run")
      return runExit;
    return activeExit;
  }
  std::vector<std::vector<std::string>> commands;
  int runExit = 0, activeExit = 0;
};

bool contains(const std::vector<std::string>& argv, const std::string& item) {
  return std::find(argv.begin(), argv.end(), item) != argv.end();
}

}  // namespace

void SessionRegistryTest::testStartsOnceAndCountsConnections() {
  FakeLauncher launcher;
  SessionRegistry registry(launcher, {}, counterToken);
  int changes = 0;
  registry.setOnChange([&] { ++changes; });
  std::string error;
  auto a = registry.acquire(user("alice"), 100, &error);
  auto b = registry.acquire(user("alice"), 200, &error);
  auto c = registry.acquire(user("carol"), 300, &error);
  CPPUNIT_ASSERT(a && b && c);
  CPPUNIT_ASSERT_EQUAL(2, launcher.launches.load());
  CPPUNIT_ASSERT_EQUAL(a->session.port, b->session.port);
  CPPUNIT_ASSERT(a->session.port != c->session.port);
  CPPUNIT_ASSERT(a->token != c->token);  // each session its own token
  CPPUNIT_ASSERT_EQUAL(2, b->connections);
  registry.release("alice", 400);
  auto listed = registry.list();
  CPPUNIT_ASSERT_EQUAL(size_t(2), listed.size());
  for (const SessionRecord& r : listed)
    CPPUNIT_ASSERT_EQUAL(1, r.connections);
  CPPUNIT_ASSERT(changes >= 3);
  CPPUNIT_ASSERT(registry.reap(500).empty());  // alive, no idle timeout
}

void SessionRegistryTest::testEndedSessionIsReplacedAndReaped() {
  FakeLauncher launcher;
  SessionRegistry registry(launcher, {}, counterToken);
  std::string error;
  auto first = registry.acquire(user("alice"), 0, &error);
  registry.release("alice", 10);
  launcher.kill(first->session.pid);
  // The next connection notices at once, without waiting for a reap.
  auto second = registry.acquire(user("alice"), 20, &error);
  CPPUNIT_ASSERT(second);
  CPPUNIT_ASSERT_EQUAL(2, launcher.launches.load());
  CPPUNIT_ASSERT(second->session.pid != first->session.pid);
  CPPUNIT_ASSERT_EQUAL(uint64_t(2), second->generation);
  launcher.kill(second->session.pid);
  const auto reaped = registry.reap(30);
  CPPUNIT_ASSERT_EQUAL(size_t(1), reaped.size());
  CPPUNIT_ASSERT_EQUAL(std::string("alice: session ended"), reaped[0]);
  CPPUNIT_ASSERT(registry.list().empty());
  CPPUNIT_ASSERT_EQUAL(0, launcher.stops.load());  // nothing to stop: it had ended
}

void SessionRegistryTest::testIdleTimeout() {
  FakeLauncher launcher;
  RegistrySettings settings;
  settings.idleTimeoutUs = 60'000'000;
  SessionRegistry registry(launcher, settings, counterToken);
  std::string error;
  registry.acquire(user("alice"), 0, &error);
  // Connected: never idle, however long.
  CPPUNIT_ASSERT(registry.reap(500'000'000).empty());
  registry.release("alice", 500'000'000);
  CPPUNIT_ASSERT(registry.reap(559'000'000).empty());
  registry.touch("alice", 559'000'000);  // ignored meaning: only connections keep it, but stamps
  const auto reaped = registry.reap(620'000'000);
  CPPUNIT_ASSERT_EQUAL(size_t(1), reaped.size());
  CPPUNIT_ASSERT_MESSAGE(reaped[0], reaped[0].find("alice: idle for 61 s") == 0);
  CPPUNIT_ASSERT_EQUAL(1, launcher.stops.load());
  CPPUNIT_ASSERT(registry.list().empty());
}

void SessionRegistryTest::testLaunchFailure() {
  FakeLauncher launcher;
  launcher.fail = true;
  SessionRegistry registry(launcher, {}, counterToken);
  std::string error;
  CPPUNIT_ASSERT(!registry.acquire(user("alice"), 0, &error));
  CPPUNIT_ASSERT_EQUAL(std::string("cannot start a session for 'alice' (fake): no room"), error);
  launcher.fail = false;
  CPPUNIT_ASSERT(registry.acquire(user("alice"), 0, &error));
}

void SessionRegistryTest::testConcurrentAcquiresShareOneLaunch() {
  FakeLauncher launcher;
  launcher.delayMs = 200;
  SessionRegistry registry(launcher, {}, counterToken);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      std::string error;
      if (registry.acquire(user("alice"), 0, &error))
        ++ok;
    });
  }
  for (auto& t : threads)
    t.join();
  CPPUNIT_ASSERT_EQUAL(4, ok.load());
  CPPUNIT_ASSERT_EQUAL(1, launcher.launches.load());
  CPPUNIT_ASSERT_EQUAL(4, registry.list().at(0).connections);
}

void SessionRegistryTest::testSystemdCommands() {
  FakeRunner runner;
  SystemdLauncherOptions options;
  options.program = "/usr/bin/rdkernel";
  options.freePort = [] { return 45123; };
  options.reachable = [](const std::string&, int) { return true; };
  SystemdLauncher launcher(options, runner);
  UserEntry alice = user("alice");
  alice.settings.emplace_back("server.size", "800x600");
  LaunchedSession session;
  std::string error;
  CPPUNIT_ASSERT_MESSAGE(error, launcher.launch(alice, "tok", &session, &error));
  CPPUNIT_ASSERT_EQUAL(45123, session.port);
  const auto& run = runner.commands.at(0);
  CPPUNIT_ASSERT_EQUAL(std::string("systemd-run"), run[0]);
  CPPUNIT_ASSERT(contains(run, "--user"));
  CPPUNIT_ASSERT(contains(run, "--collect"));
  CPPUNIT_ASSERT(contains(run, "--setenv=RDK_PROXY_TOKEN=tok"));
  CPPUNIT_ASSERT(contains(run, "tcp://127.0.0.1:45123"));
  CPPUNIT_ASSERT(contains(run, "server.size=800x600"));
  CPPUNIT_ASSERT(contains(run, "--unit=" + session.handle));
  CPPUNIT_ASSERT(session.handle.find("rdkernel-session-alice-") == 0);
  CPPUNIT_ASSERT(launcher.alive(session));
  CPPUNIT_ASSERT(
      runner.commands.back() ==
      (std::vector<std::string>{"systemctl", "--user", "is-active", "--quiet", session.handle}));
  runner.activeExit = 3;  // systemctl is-active: inactive
  CPPUNIT_ASSERT(!launcher.alive(session));
  launcher.stop(session);
  CPPUNIT_ASSERT(runner.commands.back() ==
                 (std::vector<std::string>{"systemctl", "--user", "stop", session.handle}));
  // Another uid: the system manager runs the unit as that user.
  UserEntry bob = user("bob");
  bob.uid = getuid() + 1;
  bob.gid = 1234;
  const auto systemRun = launcher.runCommand(bob, "t", "u.service", 1);
  CPPUNIT_ASSERT(!contains(systemRun, "--user"));
  CPPUNIT_ASSERT(contains(systemRun, "--uid=" + std::to_string(getuid() + 1)));
  CPPUNIT_ASSERT(contains(systemRun, "--gid=1234"));
  runner.runExit = 1;
  CPPUNIT_ASSERT(!launcher.launch(alice, "tok", &session, &error));
  CPPUNIT_ASSERT_EQUAL(std::string("systemd-run failed (exit 1)"), error);
  // With a udp:// or dtls:// proxy bind: a udp bind on the same port number, the user's password.
  options.udp = true;
  SystemdLauncher udpLauncher(options, runner);
  runner.runExit = 0;
  CPPUNIT_ASSERT_MESSAGE(error, udpLauncher.launch(alice, "tok", &session, &error));
  CPPUNIT_ASSERT_EQUAL(45123, session.udpPort);
  const auto& udpRun = runner.commands.back();
  CPPUNIT_ASSERT(contains(udpRun, "udp://127.0.0.1:45123"));
  CPPUNIT_ASSERT(contains(udpRun, "--setenv=RDK_PROXY_PASSWORD=" + alice.password));
  CPPUNIT_ASSERT(contains(udpRun, "server.auth.udp=env:name=RDK_PROXY_PASSWORD"));
  // With a ws:// or wss:// proxy bind: a ws bind on a second free port, with the token.
  options.udp = false;
  options.ws = true;
  int next = 46000;
  options.freePort = [&next] { return next++; };
  SystemdLauncher wsLauncher(options, runner);
  CPPUNIT_ASSERT_MESSAGE(error, wsLauncher.launch(alice, "tok", &session, &error));
  CPPUNIT_ASSERT_EQUAL(46000, session.port);
  CPPUNIT_ASSERT_EQUAL(46001, session.wsPort);
  const auto& wsRun = runner.commands.back();
  CPPUNIT_ASSERT(contains(wsRun, "tcp://127.0.0.1:46000"));
  CPPUNIT_ASSERT(contains(wsRun, "ws://127.0.0.1:46001"));
  CPPUNIT_ASSERT(contains(wsRun, "server.auth.ws=env:name=RDK_PROXY_TOKEN"));
}

void SessionRegistryTest::testChildLauncher() {
  const std::string dir = rdk::test::testDirectory("proxy-child-launcher");
  // A stand-in for rdkernel: prints the line the launcher waits for, then waits to be stopped.
  const std::string program = dir + "/fake-session";
  std::ofstream(program) << "#!/bin/sh\n"
                            "echo \"token=$RDK_PROXY_TOKEN mode=$1\"\n"
                            "echo 'listening on tcp://127.0.0.1:40999'\n"
                            "exec sleep 60\n";
  chmod(program.c_str(), 0755);
  ChildLauncherOptions options;
  options.program = program;
  options.logDir = dir;
  options.startTimeoutMs = 20000;
  ChildLauncher launcher(options);
  LaunchedSession session;
  std::string error;
  CPPUNIT_ASSERT_MESSAGE(error, launcher.launch(user("alice"), "s3cret", &session, &error));
  CPPUNIT_ASSERT_EQUAL(40999, session.port);
  CPPUNIT_ASSERT(session.pid > 0);
  CPPUNIT_ASSERT(launcher.alive(session));
  std::ifstream log(dir + "/alice.log");
  std::string first;
  std::getline(log, first);
  CPPUNIT_ASSERT_EQUAL(std::string("token=s3cret mode=serve"), first);
  ::kill(static_cast<pid_t>(session.pid), SIGKILL);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !launcher.alive(session);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CPPUNIT_ASSERT(gone);
  // A program that exits before listening: the launch fails with its output.
  std::ofstream(program) << "#!/bin/sh\necho 'cannot bind: address in use'\nexit 1\n";
  CPPUNIT_ASSERT(!launcher.launch(user("bob"), "t", &session, &error));
  CPPUNIT_ASSERT_MESSAGE(error, error.find("cannot bind: address in use") != std::string::npos);
  // As another uid without root: refused before anything starts.
  if (geteuid() != 0) {
    UserEntry carol = user("carol");
    carol.uid = getuid() + 1;
    CPPUNIT_ASSERT(!launcher.launch(carol, "t", &session, &error));
    CPPUNIT_ASSERT(error.find("not root") != std::string::npos);
  }
}
