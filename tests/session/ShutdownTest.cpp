#include "ShutdownTest.h"

#include <chrono>
#include <future>
#include <thread>

#include "raw_peer.hpp"
#include "session_fixture.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ShutdownTest);

using rdk::protocol::Value;
using rdk::test::RawPeer;
using rdk::test::runClient;
using rdk::test::RunningServer;
using rdk::test::testConfig;

Value hello() {
  return rdk::test::minimalHello();
}
using Clock = std::chrono::steady_clock;

namespace {}  // namespace

void ShutdownTest::testStreamPeerIsToldServerShutdown() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer active(server.url());
  active.sendPacket({Value("hello"), hello()});
  CPPUNIT_ASSERT(active.receiveType("hello").has_value());
  RawPeer silent(server.url());  // still before its hello: told as well
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = Clock::now();
  server.stop();
  const double stopMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  for (RawPeer* peer : {&active, &silent}) {
    const auto bye = peer->receiveType("disconnect", 5000);
    CPPUNIT_ASSERT(bye.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("server shutdown"), (*bye)[1].asBytes());
    CPPUNIT_ASSERT(peer->closedByPeer());
  }
  // Gone once the goodbyes left (a 300 ms linger), well within the 2 s grace.
  CPPUNIT_ASSERT_MESSAGE(std::to_string(stopMs), stopMs < 4000);
}

void ShutdownTest::testUdpClientEndsWithServerShutdown() {
  auto config = testConfig();
  auto server = std::make_unique<RunningServer>(config, "udp://127.0.0.1:0");
  const std::string url = server->url();
  auto client = std::async(std::launch::async,
                           [&config, url] { return runClient(config, url, 30.0, false); });
  // Long enough for the handshake on a loaded machine; the client would run 30 s otherwise.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  server->stop();
  CPPUNIT_ASSERT(client.wait_for(std::chrono::seconds(15)) == std::future_status::ready);
  const auto summary = client.get();
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk);
  // The client reports what the server said.
  CPPUNIT_ASSERT_EQUAL(std::string("server: server shutdown"), summary.endReason);
}
