#include "ProxyUdpTest.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "proxy_test_support.hpp"
#include "rdk/proxy/state_file.h"
#include "test_files.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyUdpTest);

using rdk::test::ChildProcess;
using rdk::test::readFile;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using rdk::test::writeFile;
using rdk::test::proxy::kRdkernel;
using rdk::test::proxy::makeCertificate;
using rdk::test::proxy::pngSize;

namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

struct UdpProxy {
  UdpProxy(const std::string& dir, const std::string& users, const std::string& scheme = "udp",
           const std::vector<std::string>& extra = {})
      : dir(dir), scheme(scheme) {
    writeFile(dir + "/users", users);
    chmod((dir + "/users").c_str(), 0600);
    std::vector<std::string> argv{
        kRdkernel,    "proxy",        "--bind",      scheme + "://127.0.0.1:0",
        "--users",    dir + "/users", "--state-dir", dir + "/state",
        "--launcher", "child"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<ChildProcess>(argv, dir + "/proxy.log");
    const std::string line = process->waitForOutput("listening on " + scheme + "://", 20000);
    CPPUNIT_ASSERT_MESSAGE(process->output(), !line.empty());
    port = std::stoi(line.substr(line.rfind(':') + 1));
  }

  /// rdkernel attach udp://127.0.0.1:|toPort| at 10% receive loss: (exit code, output).
  std::pair<int, std::string> attach(const std::string& user, const std::string& password,
                                     int toPort, const std::string& seconds,
                                     const std::string& snapshot = "",
                                     const std::vector<std::string>& extra = {}) {
    const std::string pw = dir + "/" + user + "-" + std::to_string(++attaches) + ".pw";
    writeFile(pw, password);
    std::vector<std::string> argv{kRdkernel,
                                  "attach",
                                  scheme + "://127.0.0.1:" + std::to_string(toPort),
                                  "--username",
                                  user,
                                  "--password-file",
                                  pw,
                                  "--headless",
                                  "--seconds",
                                  seconds,
                                  "--json",
                                  "--no-status",
                                  "--set",
                                  "transport.udp.drop-pct=10"};
    if (!snapshot.empty()) {
      argv.push_back("--snapshot");
      argv.push_back(snapshot);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    return runProgram(argv, pw + ".log", 60000);
  }

  int64_t sessionPid(const std::string& user) {
    for (const auto& s : rdk::proxy::parseState(readFile(dir + "/state/state.json")).sessions)
      if (s.user == user)
        return s.pid;
    return 0;
  }

  std::string dir, scheme;
  int port = 0;
  std::unique_ptr<ChildProcess> process;
  std::atomic<int> attaches{0};  // attach() runs on several threads at once
};

int loopbackSocket() {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  return fd;
}

int portOf(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

/// Between a client and the proxy, as a NAT: the client's datagrams leave from one socket until
/// |switchAfter| datagrams came back from the proxy, then from another one (a new source port,
/// same connection id), as after a NAT rebinding or a move to another network.
class RebindingRelay {
 public:
  RebindingRelay(int proxyPort, uint64_t switchAfter) : switchAfter_(switchAfter) {
    front_ = loopbackSocket();
    up_[0] = loopbackSocket();
    up_[1] = loopbackSocket();
    proxy_.sin_family = AF_INET;
    proxy_.sin_port = htons(uint16_t(proxyPort));
    proxy_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    thread_ = std::thread([this] { run(); });
  }
  ~RebindingRelay() {
    stop_.store(true);
    thread_.join();
    close(front_);
    close(up_[0]);
    close(up_[1]);
  }
  int port() const { return portOf(front_); }
  uint64_t fromProxyAfterSwitch() const { return afterSwitch_.load(); }
  bool switched() const { return switched_.load(); }

 private:
  void run() {
    std::vector<uint8_t> buffer(65536);
    sockaddr_in client{};
    socklen_t clientLen = 0;
    uint64_t fromProxy = 0;
    pollfd polls[3] = {{front_, POLLIN, 0}, {up_[0], POLLIN, 0}, {up_[1], POLLIN, 0}};
    while (!stop_.load()) {
      if (poll(polls, 3, 50) <= 0)
        continue;
      if (polls[0].revents & POLLIN) {
        socklen_t len = sizeof client;
        const ssize_t n = recvfrom(front_, buffer.data(), buffer.size(), 0,
                                   reinterpret_cast<sockaddr*>(&client), &len);
        clientLen = len;
        if (n > 0)
          sendto(up_[switched_.load() ? 1 : 0], buffer.data(), size_t(n), 0,
                 reinterpret_cast<const sockaddr*>(&proxy_), sizeof proxy_);
      }
      for (int k = 0; k < 2; ++k) {
        if (!(polls[1 + k].revents & POLLIN))
          continue;
        const ssize_t n = recv(up_[k], buffer.data(), buffer.size(), 0);
        if (n <= 0 || clientLen == 0)
          continue;
        sendto(front_, buffer.data(), size_t(n), 0, reinterpret_cast<const sockaddr*>(&client),
               clientLen);
        if (k == 1)
          afterSwitch_++;
        if (++fromProxy >= switchAfter_)
          switched_.store(true);
      }
    }
  }

  uint64_t switchAfter_;
  int front_ = -1, up_[2] = {-1, -1};
  sockaddr_in proxy_{};
  std::thread thread_;
  std::atomic<bool> stop_{false}, switched_{false};
  std::atomic<uint64_t> afterSwitch_{0};
};

}  // namespace

void ProxyUdpTest::testUsersGetTheirOwnSessionsAtTenPercentLoss() {
  const std::string dir = testDirectory("proxy-udp-users");
  // The sessions lose 10% of what they receive too: loss both ways.
  UdpProxy proxy(dir,
                 "alice|wonderland|||||size=320x240;transport.udp.drop-pct=10\n"
                 "bob|builder|||||size=400x300;transport.udp.drop-pct=10\n");
  std::pair<int, std::string> alice, bob;
  std::thread other([&] {
    // As `xpra attach udp://bob:builder@host:port/`: the credentials in the URL.
    bob = runProgram(
        {kRdkernel, "attach", "udp://bob:builder@127.0.0.1:" + std::to_string(proxy.port),
         "--headless", "--seconds", "3", "--json", "--no-status", "--set",
         "transport.udp.drop-pct=10", "--snapshot", dir + "/bob.png"},
        dir + "/bob.log", 60000);
  });
  alice = proxy.attach("alice", "wonderland", proxy.port, "3", dir + "/alice.png");
  other.join();
  const std::string log = proxy.process->output();
  CPPUNIT_ASSERT_EQUAL_MESSAGE(alice.second + log, 0, alice.first);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(bob.second + log, 0, bob.first);
  CPPUNIT_ASSERT(alice.second.find("\"handshake\":true") != std::string::npos);
  CPPUNIT_ASSERT(alice.second.find("\"draws\":0,") == std::string::npos);
  CPPUNIT_ASSERT(bob.second.find("\"draws\":0,") == std::string::npos);
  // Each got the desktop of its own session.
  CPPUNIT_ASSERT_EQUAL(std::string("320x240"), pngSize(dir + "/alice.png"));
  CPPUNIT_ASSERT_EQUAL(std::string("400x300"), pngSize(dir + "/bob.png"));
  const int64_t a = proxy.sessionPid("alice"), b = proxy.sessionPid("bob");
  CPPUNIT_ASSERT(a > 0 && b > 0 && a != b);
  // The session checks the password (end to end over UDP): a wrong one is refused.
  // Up to 10 s: a refused client ends at the refusal, and at 10% loss its hello's fragments may
  // need resends (the proxy holds them unacknowledged) - 3 s was once not enough in a loaded CI.
  auto wrong = proxy.attach("alice", "looking-glass", proxy.port, "10");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(wrong.second, 1, wrong.first);
  CPPUNIT_ASSERT_MESSAGE(wrong.second,
                         wrong.second.find("authentication failed") != std::string::npos);
  // A user the users file does not know is refused at the proxy: no session is started.
  auto unknown = proxy.attach("mallory", "wonderland", proxy.port, "10");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(unknown.second, 1, unknown.first);
  CPPUNIT_ASSERT_MESSAGE(unknown.second,
                         unknown.second.find("authentication failed") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(size_t(2),
                       rdk::proxy::parseState(readFile(dir + "/state/state.json")).sessions.size());
  CPPUNIT_ASSERT_EQUAL(a, proxy.sessionPid("alice"));
}

void ProxyUdpTest::testAddressChangeKeepsTheSession() {
  const std::string dir = testDirectory("proxy-udp-roaming");
  UdpProxy proxy(dir, "alice|wonderland|||||size=352x288;transport.udp.drop-pct=10\n");
  // Mid-stream: after 60 datagrams from the session (the hello exchange and the first frames;
  // few enough for a loaded machine's frame rate), the client's source port changes.
  RebindingRelay relay(proxy.port, 60);
  auto result = proxy.attach("alice", "wonderland", relay.port(), "5", dir + "/alice.png");
  const std::string log = proxy.process->output();
  CPPUNIT_ASSERT_EQUAL_MESSAGE(result.second + log, 0, result.first);
  CPPUNIT_ASSERT_MESSAGE(result.second,
                         result.second.find("\"handshake\":true") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(std::string("352x288"), pngSize(dir + "/alice.png"));
  CPPUNIT_ASSERT_MESSAGE(log, relay.switched());
  CPPUNIT_ASSERT_MESSAGE(log, log.find("client moved from udp://127.0.0.1:") != std::string::npos);
  // The session's stream followed the client to its new address, and it stayed one session.
  CPPUNIT_ASSERT_MESSAGE(std::to_string(relay.fromProxyAfterSwitch()) + "\n" + log,
                         relay.fromProxyAfterSwitch() >= 20);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(log, size_t(1), count(log, "user 'alice' -> session"));
  CPPUNIT_ASSERT(proxy.sessionPid("alice") > 0);
}

void ProxyUdpTest::testDtlsIsTerminatedAtTheProxy() {
  const std::string dir = testDirectory("proxy-dtls");
  makeCertificate(dir);
  UdpProxy proxy(dir, "alice|wonderland|||||size=336x256;transport.udp.drop-pct=10\n", "dtls",
                 {"--set", "transport.tls.cert=" + dir + "/cert.pem", "--set",
                  "transport.tls.key=" + dir + "/key.pem"});
  // The client checks the proxy's certificate (self-signed: its own CA here).
  auto result = proxy.attach("alice", "wonderland", proxy.port, "5", dir + "/alice.png",
                             {"--set", "transport.tls.ca=" + dir + "/cert.pem"});
  const std::string log = proxy.process->output();
  CPPUNIT_ASSERT_EQUAL_MESSAGE(result.second + log, 0, result.first);
  CPPUNIT_ASSERT_MESSAGE(result.second,
                         result.second.find("\"handshake\":true") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(std::string("336x256"), pngSize(dir + "/alice.png"));
  CPPUNIT_ASSERT_MESSAGE(log, log.find("user 'alice' -> session") != std::string::npos);
  // Without a certificate the proxy refuses to listen on dtls://, with a reason.
  auto [code, out] = runProgram({kRdkernel, "proxy", "--bind", "dtls://127.0.0.1:0", "--users",
                                 dir + "/users", "--state-dir", dir + "/state2"},
                                dir + "/nocert.log", 20000);
  CPPUNIT_ASSERT_MESSAGE(out, code != 0);
  CPPUNIT_ASSERT_MESSAGE(out, out.find("dtls needs a certificate") != std::string::npos);
}
