#include "ProxyTlsWsTest.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>

#include "child_process.hpp"
#include "proxy_test_support.hpp"
#include "rdk/base/clock.h"
#include "rdk/proxy/state_file.h"
#include "test_files.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyTlsWsTest);

using rdk::test::ChildProcess;
using rdk::test::readFile;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using rdk::test::writeFile;
using rdk::test::proxy::kRdkernel;
using rdk::test::proxy::makeCertificate;
using rdk::test::proxy::pngSize;

namespace {

/// A proxy with the given binds (port 0 each) and the test's certificate; ports by scheme.
struct Proxy {
  Proxy(const std::string& dir, const std::string& users, const std::vector<std::string>& schemes)
      : dir(dir) {
    writeFile(dir + "/users", users);
    chmod((dir + "/users").c_str(), 0600);
    std::vector<std::string> argv{kRdkernel,     "proxy",
                                  "--users",     dir + "/users",
                                  "--state-dir", dir + "/state",
                                  "--launcher",  "child",
                                  "--set",       "transport.tls.cert=" + dir + "/cert.pem",
                                  "--set",       "transport.tls.key=" + dir + "/key.pem"};
    for (const std::string& scheme : schemes) {
      argv.push_back("--bind");
      argv.push_back(scheme + "://127.0.0.1:0");
    }
    process = std::make_unique<ChildProcess>(argv, dir + "/proxy.log");
    for (const std::string& scheme : schemes) {
      const std::string line = process->waitForOutput("listening on " + scheme + "://", 20000);
      CPPUNIT_ASSERT_MESSAGE(process->output(), !line.empty());
      ports[scheme] = std::stoi(line.substr(line.rfind(':') + 1));
    }
  }

  /// rdkernel attach SCHEME://127.0.0.1:PORT as |user|, checking the proxy's certificate.
  std::pair<int, std::string> attach(const std::string& scheme, const std::string& user,
                                     const std::string& password,
                                     const std::string& snapshot = "") {
    const std::string pw = dir + "/" + user + "-" + std::to_string(++attaches) + ".pw";
    writeFile(pw, password);
    std::vector<std::string> argv{kRdkernel,
                                  "attach",
                                  scheme + "://127.0.0.1:" + std::to_string(ports.at(scheme)),
                                  "--username",
                                  user,
                                  "--password-file",
                                  pw,
                                  "--headless",
                                  "--seconds",
                                  "2",
                                  "--json",
                                  "--no-status",
                                  "--set",
                                  "transport.tls.ca=" + dir + "/cert.pem"};
    if (!snapshot.empty()) {
      argv.push_back("--snapshot");
      argv.push_back(snapshot);
    }
    return runProgram(argv, pw + ".log", 60000);
  }

  int64_t sessionPid(const std::string& user) {
    for (const auto& s : rdk::proxy::parseState(readFile(dir + "/state/state.json")).sessions)
      if (s.user == user)
        return s.pid;
    return 0;
  }

  std::string dir;
  std::map<std::string, int> ports;
  std::unique_ptr<ChildProcess> process;
  std::atomic<int> attaches{0};
};

/// Sends |request| to 127.0.0.1:|port| and returns what comes back until the proxy closes or
/// 10 s pass.
std::string httpExchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "connect failed";
  }
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  const uint64_t deadline = rdk::monotonicUs() + 10'000'000;
  char buffer[65536];
  while (rdk::monotonicUs() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) != 1)
      continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0)
      break;
    reply.append(buffer, size_t(n));
  }
  close(fd);
  return reply;
}

}  // namespace

void ProxyTlsWsTest::testUsersReachTheirSessionsOverSslWsAndWss() {
  const std::string dir = testDirectory("proxy-tls-ws");
  makeCertificate(dir);
  Proxy proxy(dir,
              "alice|wonderland|||||size=320x240\n"
              "bob|builder|||||size=400x300\n"
              "carol|staple|||||size=480x360\n"
              "dave|cheshire|||||size=256x192\n",
              {"ssl", "ws", "wss"});
  // Each user's first attach starts their session; each desktop is that user's.
  std::pair<int, std::string> alice, bob, carol;
  std::thread t1([&] { alice = proxy.attach("ssl", "alice", "wonderland", dir + "/alice.png"); });
  std::thread t2([&] { bob = proxy.attach("ws", "bob", "builder", dir + "/bob.png"); });
  carol = proxy.attach("wss", "carol", "staple", dir + "/carol.png");
  t1.join();
  t2.join();
  const std::string log = proxy.process->output();
  for (const auto* r : {&alice, &bob, &carol}) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r->second + log, 0, r->first);
    CPPUNIT_ASSERT_MESSAGE(r->second, r->second.find("\"handshake\":true") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(r->second, r->second.find("\"draws\":0,") == std::string::npos);
  }
  CPPUNIT_ASSERT_EQUAL(std::string("320x240"), pngSize(dir + "/alice.png"));
  CPPUNIT_ASSERT_EQUAL(std::string("400x300"), pngSize(dir + "/bob.png"));
  CPPUNIT_ASSERT_EQUAL(std::string("480x360"), pngSize(dir + "/carol.png"));
  const int64_t a = proxy.sessionPid("alice"), b = proxy.sessionPid("bob"),
                c = proxy.sessionPid("carol");
  CPPUNIT_ASSERT(a > 0 && b > 0 && c > 0 && a != b && b != c && a != c);
  // WebSocket clients went to their session's own ws bind (frames pass through unchanged).
  CPPUNIT_ASSERT_MESSAGE(
      log, log.find("user 'bob' -> session pid " + std::to_string(b)) != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(log, log.find("(ws, its ws bind)") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(log, log.find("(wss, its ws bind)") != std::string::npos);
  // alice again, over wss this time: the same session.
  auto again = proxy.attach("wss", "alice", "wonderland");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(again.second, 0, again.first);
  CPPUNIT_ASSERT_MESSAGE(again.second,
                         again.second.find("\"handshake\":true") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(a, proxy.sessionPid("alice"));
  // Wrong passwords are refused by the proxy on every scheme; dave's session is never started.
  for (const std::string scheme : {"ssl", "ws", "wss"}) {
    auto wrong = proxy.attach(scheme, "dave", "queen");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(scheme + ": " + wrong.second, 1, wrong.first);
    CPPUNIT_ASSERT_MESSAGE(wrong.second,
                           wrong.second.find("authentication failed") != std::string::npos);
  }
  CPPUNIT_ASSERT_EQUAL(int64_t(0), proxy.sessionPid("dave"));
  CPPUNIT_ASSERT_EQUAL(size_t(3),
                       rdk::proxy::parseState(readFile(dir + "/state/state.json")).sessions.size());
  const std::string after = proxy.process->output();
  CPPUNIT_ASSERT_MESSAGE(after,
                         after.find("user 'dave': authentication failed") != std::string::npos);
}

void ProxyTlsWsTest::testWebPageAndUpgradeRules() {
  const std::string dir = testDirectory("proxy-ws-http");
  makeCertificate(dir);
  Proxy proxy(dir, "alice|wonderland\n", {"ws"});
  const int port = proxy.ports.at("ws");
  // The web client's page, with the ws transport's security headers.
  const std::string page =
      httpExchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  CPPUNIT_ASSERT_MESSAGE(page, page.compare(0, 15, "HTTP/1.1 200 OK") == 0);
  CPPUNIT_ASSERT_MESSAGE(page, page.find("Content-Security-Policy: ") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(page, page.find("<html") != std::string::npos ||
                                   page.find("<!doctype") != std::string::npos ||
                                   page.find("<!DOCTYPE") != std::string::npos);
  // Two requests on one connection (keep-alive), the second for a module of the client.
  const std::string two = httpExchange(port,
                                       "GET /js/main.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                       "GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CPPUNIT_ASSERT_MESSAGE(two, two.compare(0, 15, "HTTP/1.1 200 OK") == 0);
  CPPUNIT_ASSERT_MESSAGE(two, two.find("HTTP/1.1 404 Not Found") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(two, two.find("text/javascript") != std::string::npos ||
                                  two.find("application/javascript") != std::string::npos);
  const std::string upgrade = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                              "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: binary\r\n";
  // A page of another site may not open a WebSocket here (cross-site WebSocket hijacking).
  const std::string foreign = httpExchange(
      port, upgrade + "Sec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n");
  CPPUNIT_ASSERT_MESSAGE(foreign, foreign.compare(0, 12, "HTTP/1.1 403") == 0);
  const std::string old = httpExchange(port, upgrade + "Sec-WebSocket-Version: 8\r\n\r\n");
  CPPUNIT_ASSERT_MESSAGE(old, old.compare(0, 12, "HTTP/1.1 426") == 0);
  // A good upgrade is answered with the RFC 6455 key, and then the proxy waits for the hello.
  const std::string good = httpExchange(
      port, upgrade + "Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:" +
                std::to_string(port) + "\r\n\r\n" + std::string("\x88\x80\x01\x02\x03\x04", 6));
  CPPUNIT_ASSERT_MESSAGE(good, good.compare(0, 12, "HTTP/1.1 101") == 0);
  CPPUNIT_ASSERT_MESSAGE(
      good, good.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(good, good.find("Sec-WebSocket-Protocol: binary") != std::string::npos);
  // ssl:// and wss:// need the certificate: refused at start with a reason.
  auto [code, out] = runProgram({kRdkernel, "proxy", "--bind", "ssl://127.0.0.1:0", "--users",
                                 dir + "/users", "--state-dir", dir + "/state2"},
                                dir + "/nocert.log", 20000);
  CPPUNIT_ASSERT_MESSAGE(out, code != 0);
  CPPUNIT_ASSERT_MESSAGE(out, out.find("ssl needs a certificate") != std::string::npos);
}
