#include "ReloadTest.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "raw_peer.hpp"
#include "session_fixture.hpp"
#include "test_files.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ReloadTest);

using rdk::protocol::Value;
using rdk::test::RawPeer;

namespace {

const char* kPassword = "reload-secret";

std::string tempPath(const std::string& name) {
  return std::string(RDK_TEST_BINARY_DIR) + "/reload-" + std::to_string(::getpid()) + "-" + name;
}

std::string freePort(int type) {
  return std::to_string(rdk::test::freeLoopbackPort(type));
}

std::string tcpBind() {
  return "tcp://127.0.0.1:" + freePort(SOCK_STREAM);
}

/// A server started from a configuration file, as `rdkernel serve --config FILE`, whose loop
/// is asked to reload as SIGHUP asks it.
class FileServer {
 public:
  explicit FileServer(const std::string& text) : path_(tempPath("server.conf")) {
    rewrite(text);
    config_ = rdk::config::Config::load(path_);
    config_.set("plugins.path", RDK_TEST_PLUGIN_DIR, "test");
    config_.set("logging.level", "warning", "test");
    server_ = std::make_unique<rdk::session::Server>(config_, rdk::test::testRegistry(config_));
    server_->setBindsFromConfig({}, true);
    std::string error;
    if (!server_->start(config_.getList("server.bind"), &error))
      throw std::runtime_error("server: " + error);
    thread_ = std::thread([this] { server_->run(stop_, &reload_); });
  }
  ~FileServer() {
    stop_ = true;
    thread_.join();
    server_.reset();
    ::unlink(path_.c_str());
  }
  void rewrite(const std::string& text) { std::ofstream(path_) << text; }
  /// Asks for a reload and waits until the loop has done it.
  rdk::session::ReloadReport reload() {
    const auto before = server_->lastReload();
    reload_ = true;
    for (int i = 0; i < 1000; ++i) {
      const auto now = server_->lastReload();
      if (now.applied + now.refused > before.applied + before.refused)
        return now;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("the server did not reload within 10 s");
  }
  rdk::session::Server& server() { return *server_; }
  rdk::config::Config& config() { return config_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  rdk::config::Config config_;
  std::unique_ptr<rdk::session::Server> server_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> reload_{false};
  std::thread thread_;
};

/// True when |peer| completed a hello without authentication.
bool helloAnswered(RawPeer& peer) {
  peer.sendPacket({Value("hello"), rdk::test::minimalHello()});
  return peer.receiveType("hello", 10000).has_value();
}

/// A connection to |url| is accepted by the kernel but closed by the server before any packet.
bool refusedAtAccept(const std::string& url) {
  try {
    RawPeer peer(url);
    peer.sendPacket({Value("hello"), rdk::test::minimalHello()});
    return !peer.receiveType("hello", 3000).has_value();
  } catch (const std::exception&) {
    return true;  // nothing listens any more
  }
}

}  // namespace

void ReloadTest::testBindsComeAndGoWithoutDroppingSessions() {
  const std::string tcpUrl = tcpBind();
  FileServer server("server.bind = " + tcpUrl + "\nserver.ping-interval = 1\n");
  auto early = std::make_unique<RawPeer>(tcpUrl);
  CPPUNIT_ASSERT(helloAnswered(*early));

  const std::string udpUrl = "udp://127.0.0.1:" + freePort(SOCK_DGRAM);
  server.rewrite("server.bind = " + udpUrl + "\nserver.ping-interval = 1\n");
  const auto report = server.reload();
  CPPUNIT_ASSERT_MESSAGE(report.error, report.error.empty());
  CPPUNIT_ASSERT_EQUAL(size_t(1), report.retired.size());
  CPPUNIT_ASSERT_EQUAL(tcpUrl, report.retired[0]);
  CPPUNIT_ASSERT_EQUAL(size_t(1), report.bound.size());
  CPPUNIT_ASSERT_EQUAL(udpUrl, report.bound[0]);
  CPPUNIT_ASSERT(server.server().boundUrls() == std::vector<std::string>{udpUrl});

  // The removed bind takes no one new; the session that came through it goes on (it is pinged).
  CPPUNIT_ASSERT(refusedAtAccept(tcpUrl));
  CPPUNIT_ASSERT(early->receiveType("ping", 10000).has_value());
  // The added bind serves a real client.
  auto config = rdk::test::testConfig();
  const auto summary = rdk::test::runClient(config, udpUrl, 1.5, false);
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk);
  CPPUNIT_ASSERT(summary.draws > 0);

  // Once its last session has gone, the removed bind is closed: nothing listens there.
  early.reset();
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {
    try {
      RawPeer probe(tcpUrl);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (const std::exception&) {
      closed = true;
    }
  }
  CPPUNIT_ASSERT(closed);
}

void ReloadTest::testAuthChangesForNewConnections() {
  const std::string passwordFile = tempPath("password");
  std::ofstream(passwordFile) << kPassword;
  const std::string url = tcpBind();
  FileServer server("server.bind = " + url + "\nserver.ping-interval = 1\n");
  RawPeer early(url);
  CPPUNIT_ASSERT(helloAnswered(early));

  server.rewrite("server.bind = " + url + "\nserver.ping-interval = 1\n" +
                 "server.auth = file:filename=" + passwordFile + "\n");
  const auto report = server.reload();
  CPPUNIT_ASSERT_MESSAGE(report.error, report.error.empty());
  CPPUNIT_ASSERT(report.retired.empty() && report.bound.empty());  // the same bind
  CPPUNIT_ASSERT(server.server().boundUrls() == std::vector<std::string>{url});

  // A new connection must now authenticate; the logged-in one goes on.
  RawPeer late(url);
  late.sendPacket({Value("hello"), rdk::test::minimalHello()});
  auto answer = late.receive(10000);
  CPPUNIT_ASSERT(answer.has_value());
  std::string what = (*answer)[0].asBytes();
  if (answer->size() > 1 && (*answer)[1].isBytes())
    what += ": " + (*answer)[1].asBytes();
  // This bare hello offers no digest: the password module now refuses it outright.
  CPPUNIT_ASSERT_EQUAL(std::string("disconnect: authentication failed"), what);
  CPPUNIT_ASSERT(early.receiveType("ping", 10000).has_value());
  auto config = rdk::test::testConfig();
  auto refused = rdk::test::runClient(config, url, 1.0, false, "wrong");
  CPPUNIT_ASSERT(!refused.handshakeOk);
  auto admitted = rdk::test::runClient(config, url, 1.0, false, kPassword);
  CPPUNIT_ASSERT_MESSAGE(admitted.endReason, admitted.handshakeOk);
  ::unlink(passwordFile.c_str());
}

void ReloadTest::testBadFileChangesNothing() {
  const std::string url = tcpBind();
  FileServer server("server.bind = " + url + "\nserver.max-clients = 3\nserver.size = 320x240\n");

  // A typo on line 3: refused with its place, nothing taken (not even the valid line 2).
  server.rewrite("server.bind = " + url + "\nserver.max-clients = 5\nserver.max-client = 1\n");
  auto report = server.reload();
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), report.refused);
  CPPUNIT_ASSERT_MESSAGE(report.error,
                         report.error.find(server.path() + ":3: key 'server.max-client'") == 0);
  CPPUNIT_ASSERT_EQUAL(3LL, server.config().getInt("server.max-clients"));

  // Fixed: the live key is taken, the desktop's size waits for a restart and says so.
  server.rewrite("server.bind = " + url + "\nserver.max-clients = 5\nserver.size = 640x480\n");
  report = server.reload();
  CPPUNIT_ASSERT_MESSAGE(report.error, report.error.empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), report.applied);
  CPPUNIT_ASSERT_EQUAL(5LL, server.config().getInt("server.max-clients"));
  CPPUNIT_ASSERT_EQUAL(320, server.config().getSize("server.size").width);
  bool saidRestart = false;
  for (const std::string& line : report.changes)
    saidRestart =
        saidRestart || line.find("server.size '320x240' -> '640x480' (needs a restart") == 0;
  CPPUNIT_ASSERT(saidRestart);
  // The server served throughout, and counts both reloads for /metrics.
  RawPeer peer(url);
  CPPUNIT_ASSERT(helloAnswered(peer));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // the metrics' publish period
  const auto metrics = server.server().metrics();
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), metrics.reloadsApplied);
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), metrics.reloadsRefused);
}
