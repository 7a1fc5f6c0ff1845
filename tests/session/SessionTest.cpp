#include "SessionTest.h"

#include <chrono>
#include <fstream>
#include <optional>
#include <thread>

#include "raw_peer.hpp"
#include "session_fixture.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(SessionTest);

using rdk::protocol::Value;
using rdk::test::minimalHello;
using rdk::test::RawPeer;
using rdk::test::runClient;
using rdk::test::RunningServer;
using rdk::test::testConfig;

namespace {

std::string describe(const rdk::session::ClientSummary& s) {
  std::string text = "ended: " + s.endReason + "; packets:";
  for (const auto& [type, count] : s.packetsPerType)
    text += " " + type + "=" + std::to_string(count);
  return text;
}

}  // namespace

void SessionTest::testSyntheticSessionSeesEveryWindowPacketAndInput() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  // The synthetic desktop plays every window event within 10.5 s.
  const auto summary = runClient(config, server.url(), 11.0);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.handshakeOk);
  for (const char* type :
       {"hello", "new-window", "new-override-redirect", "new-tray", "raise-window",
        "window-move-resize", "window-resized", "window-metadata", "lost-window", "draw",
        "startup-complete", "ping", "ping_echo", "bell", "cursor"}) {
    CPPUNIT_ASSERT_MESSAGE(std::string("never received ") + type + "; " + describe(summary),
                           summary.packetsPerType.count(type) == 1);
  }
  // Issue 20 item 6: the client announced sound and dropped every sound-data; it has no player,
  // so it no longer asks for sound (testSoundGoesToClientsThatAskForIt: the server still sends).
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.packetsPerType.count("sound-data") == 0);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(summary), uint64_t{0}, summary.decodeErrors);
  CPPUNIT_ASSERT(summary.draws > 20);
  // Keys typed by the client reached the server's desktop: the Notes window's title shows them.
  bool typed = false;
  for (const auto& [wid, title] : summary.windowTitles) {
    if (title.rfind("Notes: ", 0) == 0 && title.size() > 7)
      typed = true;
  }
  CPPUNIT_ASSERT_MESSAGE("no typed text came back in a window title", typed);
}

void SessionTest::testSoundGoesToClientsThatAskForIt() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer peer(server.url());
  Value caps = minimalHello();
  caps.set("sound.receive", Value(true));
  caps.set("sound.decoders", Value(Value::List{Value("wav")}));
  peer.sendPacket({Value("hello"), caps});
  // The synthetic desktop plays its tone within 10.5 s.
  const auto sound = peer.receiveType("sound-data", 15000);
  CPPUNIT_ASSERT(sound.has_value());
  CPPUNIT_ASSERT_EQUAL(std::string("wav"), (*sound)[1].asBytes());
}

// Issue 20 item 5: `info` described only its own short-lived connection; it lists every attached
// client (address, transport, encodings, fps, latency, loss, bytes) and the loaded plugins.
void SessionTest::testInfoListsAttachedClients() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  rdk::session::ClientSummary attached;
  std::thread client([&] { attached = runClient(config, server.url(), 4.0); });
  std::optional<rdk::protocol::Packet> reply;
  for (int attempt = 0; attempt < 40; ++attempt) {  // until the client's session is active
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    RawPeer peer(server.url());
    Value caps = minimalHello();
    caps.set("info_request", Value(true));
    caps.set("request", Value("info"));
    peer.sendPacket({Value("hello"), caps});
    reply = peer.receiveType("hello");
    if (reply && Value((*reply)[1]).find("clients.0.address"))
      break;
  }
  client.join();
  CPPUNIT_ASSERT(reply.has_value());
  const Value info = (*reply)[1];
  CPPUNIT_ASSERT_MESSAGE(info.toJson(),
                         info.find("clients.count") && info.find("clients.count")->asInt() == 1);
  CPPUNIT_ASSERT_EQUAL(std::string("tcp"), info.find("clients.0.transport")->asBytes());
  CPPUNIT_ASSERT(info.find("clients.0.address")->asBytes().rfind("tcp://127.0.0.1:", 0) == 0);
  for (const char* key : {"clients.0.encodings", "clients.0.fps", "clients.0.srtt-ms",
                          "clients.0.loss-permille", "clients.0.bytes-sent", "plugins.loaded"}) {
    CPPUNIT_ASSERT_MESSAGE(std::string(key) + " missing: " + info.toJson(), info.find(key));
  }
  // Issue 20 item 10: measurements printed short (fps was 90.40296173095703).
  const std::string fps = info.find("clients.0.fps")->toJson();
  CPPUNIT_ASSERT_MESSAGE(fps,
                         fps.find('.') == std::string::npos || fps.size() - fps.find('.') <= 3);
  CPPUNIT_ASSERT(attached.handshakeOk);
}

void SessionTest::testHelloWithoutVersionIsRefused() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer peer(server.url());
  Value caps = minimalHello();
  caps.asDict().erase(caps.asDict().begin());  // "version"
  peer.sendPacket({Value("hello"), caps});
  auto disconnect = peer.receiveType("disconnect");
  CPPUNIT_ASSERT(disconnect.has_value());
  CPPUNIT_ASSERT_EQUAL(std::string("version error"), (*disconnect)[1].asBytes());
  CPPUNIT_ASSERT(peer.closedByPeer());
}

void SessionTest::testNoCommonEncodingListsOfferedAndAvailable() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer peer(server.url());
  Value caps = minimalHello();
  caps.set("encodings", Value(Value::List{Value("h264")}));
  caps.set("encodings.core", Value(Value::List{Value("h264")}));
  peer.sendPacket({Value("hello"), caps});
  auto disconnect = peer.receiveType("disconnect");
  CPPUNIT_ASSERT(disconnect.has_value() && disconnect->size() > 2);
  const std::string detail = (*disconnect)[2].asBytes();
  CPPUNIT_ASSERT_MESSAGE(detail, detail.find("client offered [h264]") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(detail, detail.find("rgb24") != std::string::npos);
}

void SessionTest::testGarbageAndHttpDoNotHurtTheServer() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  {
    RawPeer http(server.url());
    http.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CPPUNIT_ASSERT(http.closedByPeer());
  }
  {
    RawPeer garbage(server.url());
    std::string bytes;
    for (int i = 0; i < 100000; ++i)
      bytes += static_cast<char>((i * 7919) & 0xff);
    try {
      garbage.sendBytes(bytes);
    } catch (const std::exception&) {
      // The server may hang up before reading everything: that is the point.
    }
    CPPUNIT_ASSERT(garbage.closedByPeer());
  }
  {
    // A well-framed record announcing a huge packet is refused without allocating it.
    RawPeer huge(server.url());
    huge.sendBytes(std::string("P\x01\x00\x00\x0f\xff\xff\xff", 8));
    CPPUNIT_ASSERT(huge.closedByPeer());
  }
  const auto summary = runClient(config, server.url(), 1.5, false);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.handshakeOk && summary.draws > 0);
}

void SessionTest::testPasswordAuthentication() {
  const std::string passwordFile = std::string(RDK_TEST_BINARY_DIR) + "/session-test-password";
  std::ofstream(passwordFile) << "s3cret";
  auto config = testConfig();
  config.set("server.auth", "file:filename=" + passwordFile, "test");
  RunningServer server(config, "tcp://127.0.0.1:0");
  const auto good = runClient(config, server.url(), 1.0, false, "s3cret");
  CPPUNIT_ASSERT_MESSAGE(describe(good), good.handshakeOk && good.draws > 0);
  const auto bad = runClient(config, server.url(), 5.0, false, "guess");
  CPPUNIT_ASSERT(!bad.handshakeOk);
  CPPUNIT_ASSERT_EQUAL(std::string("server: authentication failed"), bad.endReason);
  const auto none = runClient(config, server.url(), 2.0, false, "");
  CPPUNIT_ASSERT(!none.handshakeOk);
  CPPUNIT_ASSERT_MESSAGE(none.endReason,
                         none.endReason.find("requires a password") != std::string::npos);
}

void SessionTest::testUdpSessionAtThirtyPercentLoss() {
  auto config = testConfig();
  // Receive-side loss at both ends: 30% of the datagrams in each direction never arrive.
  config.set("transport.udp.drop-pct", "30", "test");
  RunningServer server(config, "udp://127.0.0.1:0");
  // 12 s: the client pings every 2 s from the end of its handshake; 8 s left room for only 2
  // pings when the handshake through 30% loss took over 2 s (the ASan+UBSan CI subset, once).
  const auto summary = runClient(config, server.url(), 12.0);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.handshakeOk);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.draws > 20);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.packetsPerType.count("new-window") == 1);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.transport.retransmissions > 0);
  // The pings are a reliable stream: every echo back once and in order (the last may be in
  // flight when the client stops).
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, summary.pings.outOfOrder);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.pings.sent >= 3);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.pings.echoed + 1 >= summary.pings.sent);
}

void SessionTest::testUdpSessionThroughBlackouts() {
  auto config = testConfig();
  // 30% loss each way, and every 2 s the link goes dark for 700 ms (both directions).
  config.set("transport.udp.drop-pct", "30", "test");
  config.set("transport.udp.blackout-every-s", "2", "test");
  config.set("transport.udp.blackout-ms", "700", "test");
  RunningServer server(config, "udp://127.0.0.1:0");
  // 14 s: the client pings every 2 s from the end of its handshake, and a handshake through 30%
  // loss and blackouts took over 3 s in a loaded CI run (7 s then left room for 2 pings) and
  // over 4 s in a quiet one (10 s left room for 2); 3 pings need it done within 8 s now.
  const auto summary = runClient(config, server.url(), 14.0);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.handshakeOk);
  CPPUNIT_ASSERT_MESSAGE(describe(summary),
                         summary.endReason.find("time is up") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(describe(summary), summary.draws > 10);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, summary.pings.outOfOrder);
  CPPUNIT_ASSERT_MESSAGE(std::to_string(summary.pings.sent) + " pings sent",
                         summary.pings.sent >= 3);
  // A ping sent just before a blackout waits for it to end: up to two may be in flight.
  CPPUNIT_ASSERT_MESSAGE(
      std::to_string(summary.pings.echoed) + " of " + std::to_string(summary.pings.sent),
      summary.pings.echoed + 2 >= summary.pings.sent);
}

void SessionTest::testBencodePeerGetsInfoWithoutFloats() {
  // Xpra's bencode has no floats; the info holds some (latencies, ratios). A bencode peer asking
  // for info was disconnected with "bencode: cannot encode float"; it now gets them as text.
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer peer(server.url());
  peer.useBencode();
  Value caps = minimalHello();
  caps.set("rencode", Value(false));
  caps.set("bencode", Value(true));
  peer.sendPacket({Value("hello"), caps});
  CPPUNIT_ASSERT(peer.receiveType("hello").has_value());
  // An echo of the server's ping gives the info its floats (latencies); then ask.
  const auto ping = peer.receiveType("ping", 10000);
  CPPUNIT_ASSERT(ping.has_value());
  peer.sendPacket(
      {Value("ping_echo"), (*ping)[1], Value(0), Value(0), Value(0), Value(0), Value("")});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  peer.sendPacket(
      {Value("info-request"), Value(Value::List{}), Value(Value::List{}), Value(Value::List{})});
  const auto reply = peer.receiveType("info-response", 10000);
  CPPUNIT_ASSERT(reply.has_value());
  const Value& info = (*reply)[1];
  CPPUNIT_ASSERT(info.isDict());
  const Value* latency = info.find("latency.p50-ms");
  CPPUNIT_ASSERT(latency != nullptr);
  CPPUNIT_ASSERT(latency->isBytes());  // the text of a float
  std::stod(latency->asBytes());
}
