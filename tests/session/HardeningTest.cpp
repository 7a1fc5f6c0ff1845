#include "HardeningTest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "raw_peer.hpp"
#include "rdk/protocol/record_writer.h"
#include "rdk/session/bind_spec.h"
#include "rdk/session/challenge_answer.h"
#include "rdk/session/packet_channel.h"
#include "session_fixture.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(HardeningTest);

using rdk::protocol::Value;
using rdk::session::Refusal;
using rdk::test::RawPeer;
using rdk::test::runClient;
using rdk::test::RunningServer;
using rdk::test::testConfig;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kPassword = "correct horse";

Value hello(const std::string& username = "") {
  Value caps = rdk::test::minimalHello();
  if (!username.empty()) {
    caps.set("username", Value(username));
    caps.set("digest", Value(Value::List{Value("hmac+sha256")}));
    caps.set("salt-digest", Value(Value::List{Value("hmac+sha256")}));
  }
  return caps;
}

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The server's count of |why| once it reached |atLeast| (or after 5 s): a refusal is counted
// as it is decided, which a peer that gave up waiting may not have seen yet.
uint64_t refusals(RunningServer& server, Refusal why, uint64_t atLeast = 1) {
  for (int i = 0; i < 50 && server.server().refusals().get(why) < atLeast; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return server.server().refusals().get(why);
}

bool isType(const std::optional<rdk::protocol::Packet>& p, const std::string& type) {
  return p && !p->empty() && (*p)[0].isBytes() && (*p)[0].asBytes() == type;
}

std::string passwordFile() {
  const std::string path = std::string(RDK_TEST_BINARY_DIR) + "/hardening-test-password";
  std::ofstream(path) << kPassword;
  return path;
}

/// A server behind the password file, with a short kernel back-off so the tests stay fast.
rdk::config::Config guardedConfig(const std::string& pluginOptions = "") {
  auto config = testConfig();
  config.set("server.auth", "file:filename=" + passwordFile() + pluginOptions, "test");
  config.set("server.auth-failure-delay", "100", "test");
  config.set("server.auth-max-failure-delay", "400", "test");
  return config;
}

/// Logs in over |peer| with |password|: the hello after the challenge, or what came instead.
std::optional<rdk::protocol::Packet> login(RawPeer& peer, const std::string& password,
                                           int closeAfterResponseMs = -1) {
  peer.sendPacket({Value("hello"), hello("user")});
  auto challenge = peer.receiveType("challenge", 5000);
  if (!challenge)
    return std::nullopt;
  auto config = testConfig();
  std::string response, clientSalt, error;
  if (!rdk::session::answerChallenge(rdk::test::testRegistry(config), *challenge, password,
                                     &response, &clientSalt, &error)) {
    throw std::runtime_error("cannot answer the challenge: " + error);
  }
  Value caps = hello("user");
  caps.set("challenge_response", Value(response));
  caps.set("challenge_client_salt", Value(clientSalt));
  peer.sendPacket({Value("hello"), caps});
  if (closeAfterResponseMs >= 0) {
    // An impatient guesser: whatever has not come by then counts as "wrong".
    auto reply = peer.receive(closeAfterResponseMs);
    return isType(reply, "hello") ? reply : std::nullopt;
  }
  while (auto p = peer.receive(20000)) {
    if (isType(p, "hello") || isType(p, "disconnect"))
      return p;
  }
  return std::nullopt;
}

/// The guesses a dictionary attacker tries: the right password is number |rightAt| (1-based).
std::string guessNumber(int n, int rightAt) {
  return n == rightAt ? std::string(kPassword) : "guess-" + std::to_string(n);
}

}  // namespace

void HardeningTest::testFiveHundredIdleSocketsDoNotDelayAClient() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  std::vector<std::unique_ptr<RawPeer>> idle;
  for (int i = 0; i < 500; ++i)
    idle.push_back(std::make_unique<RawPeer>(server.url()));
  // Let the server accept them all before the real client comes.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = Clock::now();
  RawPeer client(server.url());
  client.sendPacket({Value("hello"), hello()});
  const auto reply = client.receiveType("hello", 5000);
  const double ms = msSince(start);
  CPPUNIT_ASSERT_MESSAGE("no hello while 500 idle sockets are open", reply.has_value());
  // Issue 21's bound: served within 1 s (before the pending budget it waited for idle sockets to
  // time out, 10 s and more; measured with bench/hardening/attack.py: 1 ms median).
  CPPUNIT_ASSERT_MESSAGE("hello after " + std::to_string(ms) + " ms", ms < 1000);
  // The accept thread may still be working through the 500 on a loaded machine (a clean-clone
  // CI run under ctest -j2 had accepted 362 after 5 s).
  auto counts = server.server().summary();
  for (int i = 0; i < 200 && counts.clientsEvicted < 400; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    counts = server.server().summary();
  }
  CPPUNIT_ASSERT_MESSAGE("evicted " + std::to_string(counts.clientsEvicted) + ", accepted " +
                             std::to_string(counts.clientsAccepted),
                         counts.clientsEvicted >= 400);
  // And a whole session works beside them (3 s: the first draw can take a second under load).
  const auto summary = runClient(config, server.url(), 3.0, false);
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk && summary.draws > 0);
}

void HardeningTest::testIdleUdpHandshakesDoNotTakeClientSlots() {
  auto config = testConfig();
  RunningServer server(config, "udp://127.0.0.1:0");
  auto& registry = rdk::test::testRegistry(config);
  std::string why;
  auto* udp = registry.select(rdk::plugin::Kind::Transport, "udp", &why);
  CPPUNIT_ASSERT_MESSAGE(why, udp != nullptr);
  // Completed transport handshakes that never say hello: more than server.max-clients (16).
  std::vector<std::unique_ptr<rdk::session::PacketChannel>> bare;
  for (int i = 0; i < 24; ++i) {
    std::string error;
    auto channel = rdk::session::PacketChannel::connect(
        *udp, server.url(),
        rdk::session::transportOptionsJson("udp", config, rdk::session::Side::Client), nullptr,
        &error);
    CPPUNIT_ASSERT_MESSAGE(error, channel != nullptr);
    bare.push_back(std::move(channel));
  }
  const auto summary = runClient(config, server.url(), 1.5, false);
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk && summary.draws > 0);
}

void HardeningTest::testRefusedPeersAreToldWhy() {
  {
    auto config = guardedConfig();
    config.set("server.max-pending-per-address", "2", "test");
    RunningServer server(config, "tcp://127.0.0.1:0");
    // Two live connections waiting to authenticate fill this address's budget...
    RawPeer a(server.url()), b(server.url());
    for (RawPeer* p : {&a, &b}) {
      p->sendPacket({Value("hello"), hello("user")});
      CPPUNIT_ASSERT(p->receiveType("challenge").has_value());
    }
    // ...so a third is told why, instead of a bare close.
    RawPeer c(server.url());
    const auto refused = c.receiveType("disconnect");
    CPPUNIT_ASSERT(refused.has_value() && refused->size() > 2);
    CPPUNIT_ASSERT_EQUAL(std::string("too many connections"), (*refused)[1].asBytes());
    CPPUNIT_ASSERT_MESSAGE(
        (*refused)[2].asBytes(),
        (*refused)[2].asBytes().find("waiting to authenticate") != std::string::npos);
    CPPUNIT_ASSERT(c.closedByPeer());
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, refusals(server, Refusal::PendingPerAddress));
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, refusals(server, Refusal::PendingTotal, 0));
  }
  {
    auto config = testConfig();
    config.set("server.max-clients", "1", "test");
    RunningServer server(config, "tcp://127.0.0.1:0");
    RawPeer first(server.url());
    first.sendPacket({Value("hello"), hello()});
    CPPUNIT_ASSERT(first.receiveType("hello").has_value());
    RawPeer second(server.url());
    second.sendPacket({Value("hello"), hello()});
    const auto full = second.receiveType("disconnect");
    CPPUNIT_ASSERT(full.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("too many clients"), (*full)[1].asBytes());
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, refusals(server, Refusal::MaxClients));
    // Nothing to draw with is a refusal of its own.
    RawPeer blind(server.url());
    Value caps = hello();
    caps.set("encodings", Value(Value::List{Value("no-such-coding")}));
    caps.set("encodings.core", Value(Value::List{Value("no-such-coding")}));
    blind.sendPacket({Value("hello"), caps});
    const auto none = blind.receiveType("disconnect");
    CPPUNIT_ASSERT(none.has_value() && none->size() > 2);
    CPPUNIT_ASSERT_MESSAGE((*none)[2].asBytes(),
                           (*none)[2].asBytes().find("no common encodings") == 0);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, refusals(server, Refusal::NoCommonEncoding));
  }
}

void HardeningTest::testSilentConnectionIsClosedAtTheHelloDeadline() {
  auto config = testConfig();
  config.set("server.hello-timeout", "1", "test");
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer silent(server.url());
  const auto start = Clock::now();
  const auto bye = silent.receiveType("disconnect", 5000);
  CPPUNIT_ASSERT(bye.has_value());
  CPPUNIT_ASSERT_EQUAL(std::string("login timeout"), (*bye)[1].asBytes());
  CPPUNIT_ASSERT(silent.closedByPeer());
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, refusals(server, Refusal::HelloTimeout));
  CPPUNIT_ASSERT(msSince(start) < 4000);
}

void HardeningTest::testGuessingIsBoundedPerAddress() {
  // Kernel back-off 100, 200, 400, 400... ms: the 6th verdict cannot come before
  // 100+200+400+400+400 = 1500 ms, however the guesses are sent.
  constexpr int kRightAt = 6;
  constexpr double kEarliestMs = 1500;
  {
    auto config = guardedConfig();
    RunningServer server(config, "tcp://127.0.0.1:0");
    const auto start = Clock::now();
    int n = 1;
    for (; n <= 20; ++n) {
      RawPeer peer(server.url());
      if (isType(login(peer, guessNumber(n, kRightAt)), "hello"))
        break;
    }
    CPPUNIT_ASSERT_EQUAL(kRightAt, n);
    CPPUNIT_ASSERT_EQUAL(uint64_t{kRightAt - 1},
                         refusals(server, Refusal::AuthFailed, kRightAt - 1));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(msSince(start)), msSince(start) >= kEarliestMs * 0.9);
  }
  {
    // Eight wrong guesses at once from one address queue behind each other: whichever order
    // they arrive in, the k-th verdict cannot come before the back-offs of the k-1 before it.
    // (Asserting when the right guess lands would depend on where the scheduler put it.)
    constexpr int kGuesses = 8;
    auto config = guardedConfig();
    RunningServer server(config, "tcp://127.0.0.1:0");
    std::mutex mutex;
    std::vector<double> verdictMs;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int n = 1; n <= kGuesses; ++n) {
      threads.emplace_back([&, n] {
        RawPeer peer(server.url());
        if (isType(login(peer, guessNumber(n, kGuesses + 1)), "disconnect")) {
          std::lock_guard lock(mutex);
          verdictMs.push_back(msSince(start));
        }
      });
    }
    for (auto& t : threads)
      t.join();
    CPPUNIT_ASSERT_EQUAL(size_t(kGuesses), verdictMs.size());
    std::sort(verdictMs.begin(), verdictMs.end());
    double earliestMs = 0;
    for (int k = 1; k < kGuesses; ++k) {
      earliestMs += std::min(100.0 * (1 << (k - 1)), 400.0);
      CPPUNIT_ASSERT_MESSAGE(
          "verdict " + std::to_string(k + 1) + " at " + std::to_string(verdictMs[k]) + " ms",
          verdictMs[k] >= earliestMs * 0.9);
    }
  }
}

void HardeningTest::testAbandonedGuessesStillCount() {
  auto config = guardedConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  // Closing 100 ms after each answer (a hello would have come by then if it were right) used to
  // give ten guesses a second. Now the verdicts wait, and the abandoned answers count as failures.
  const auto start = Clock::now();
  bool found = false;
  int tries = 0;
  while (msSince(start) < 2000 && !found) {
    RawPeer peer(server.url());
    found = isType(login(peer, guessNumber(++tries, 4), 100), "hello");
  }
  CPPUNIT_ASSERT_MESSAGE("found after " + std::to_string(tries) + " tries", !found);
  CPPUNIT_ASSERT(tries >= 4);
  // Nobody is locked out: a patient client with the password gets in once the back-off passes.
  RawPeer patient(server.url());
  CPPUNIT_ASSERT(isType(login(patient, kPassword), "hello"));
}

void HardeningTest::testVictimPingUnaffectedByGuessing() {
  // The password plugin's own per-username wait (200, 400, 800 ms...) runs off the loop.
  auto config = guardedConfig(",failure_delay_ms=200,max_failure_delay_ms=800");
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer victim(server.url());
  CPPUNIT_ASSERT(isType(login(victim, kPassword), "hello"));
  std::atomic<bool> attacking{true};
  std::thread attacker([&] {
    for (int n = 1; n <= 5; ++n) {
      RawPeer peer(server.url());
      login(peer, "wrong-" + std::to_string(n));
    }
    attacking = false;
  });
  double worstMs = 0;
  int pings = 0;
  while (attacking.load()) {
    const auto sent = Clock::now();
    victim.sendPacket({Value("ping"), Value(int64_t(1))});
    const auto echo = victim.receiveType("ping_echo", 5000);
    CPPUNIT_ASSERT(echo.has_value());
    worstMs = std::max(worstMs, msSince(sent));
    ++pings;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  attacker.join();
  CPPUNIT_ASSERT(pings > 10);
  // The plugin's waits (200, 400, 800 ms) used to stall the loop: the victim's worst ping was at
  // least that long. A busy test machine may add a little, never that much.
  CPPUNIT_ASSERT_MESSAGE("victim ping max " + std::to_string(worstMs) + " ms", worstMs < 600);
}

void HardeningTest::testPreAuthenticationSizeAndDecompressionLimits() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  {
    // A 2 MiB hello: above server.max-hello-size (1 MiB) before authentication.
    RawPeer peer(server.url());
    Value caps = hello();
    std::string filler(2u << 20, 'x');
    for (size_t i = 0; i < filler.size(); ++i)
      filler[i] = static_cast<char>('a' + (i * 7919) % 26);
    caps.set("padding", Value(filler));
    peer.sendPacket({Value("hello"), caps});
    const auto bye = peer.receiveType("disconnect");
    CPPUNIT_ASSERT(bye.has_value() && bye->size() > 2);
    CPPUNIT_ASSERT_EQUAL(std::string("protocol error"), (*bye)[1].asBytes());
    CPPUNIT_ASSERT_MESSAGE((*bye)[2].asBytes(),
                           (*bye)[2].asBytes().find("exceeds") != std::string::npos);
  }
  {
    // A zlib bomb: 40 kB on the wire, 40 MiB inflated; decompression stops at 1 MiB.
    RawPeer peer(server.url());
    Value caps = hello();
    caps.set("padding", Value(std::string(40u << 20, '\0')));
    rdk::protocol::RecordWriter writer;
    writer.setEncoding(rdk::protocol::PacketEncoding::Rencode);
    writer.setCompression(rdk::protocol::Compression::Zlib, 9);
    const std::string bytes = writer.write({Value("hello"), caps});
    CPPUNIT_ASSERT(bytes.size() < (1u << 20));
    peer.sendBytes(bytes);
    const auto bye = peer.receiveType("disconnect");
    CPPUNIT_ASSERT(bye.has_value() && bye->size() > 2);
    CPPUNIT_ASSERT_MESSAGE((*bye)[2].asBytes(),
                           (*bye)[2].asBytes().find("decompress") != std::string::npos);
  }
  {
    // After authentication the normal limit (16 MiB) applies again.
    RawPeer peer(server.url());
    peer.sendPacket({Value("hello"), hello()});
    CPPUNIT_ASSERT(peer.receiveType("hello").has_value());
    peer.sendPacket({Value("rdk-test-bulk"), Value(std::string(2u << 20, 'y'))});
    peer.sendPacket({Value("ping"), Value(int64_t(7))});
    CPPUNIT_ASSERT(peer.receiveType("ping_echo").has_value());
  }
  const auto summary = runClient(config, server.url(), 1.0, false);
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk && summary.draws > 0);
}

void HardeningTest::testPeerChosenNamesAndHelloDoNotPinMemoryOrStallTheLoop() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  RawPeer peer(server.url());
  Value caps = hello();
  for (int i = 0; i < 50'000; ++i)
    caps.asDict().emplace_back(Value("k" + std::to_string(i)), Value(int64_t(i)));
  peer.sendPacket({Value("hello"), caps});
  CPPUNIT_ASSERT(peer.receiveType("hello", 30000).has_value());
  const auto start = Clock::now();
  for (int i = 0; i < 200; ++i)
    peer.sendPacket({Value("set_deflate"), Value(int64_t(1))});
  for (int i = 0; i < 200; ++i)
    CPPUNIT_ASSERT(peer.receiveType("set_deflate").has_value());
  const double deflateMs = msSince(start);
  // Every unknown packet type is a new name: only a bounded set of short ones is kept.
  for (int i = 0; i < 100; ++i)
    peer.sendPacket({Value("x" + std::to_string(i) + std::string(3000, 'n'))});
  peer.sendPacket({Value("info-request")});
  const auto info = peer.receiveType("info-response");
  CPPUNIT_ASSERT(info.has_value() && info->size() > 1 && (*info)[1].isDict());
  size_t names = 0;
  uint64_t counted = 0;
  for (const auto& [key, value] : (*info)[1].asDict()) {
    const std::string name = key.isBytes() ? key.asBytes() : "";
    if (name.rfind("client.requests.unhandled:", 0) != 0)
      continue;
    ++names;
    counted += static_cast<uint64_t>(value.asInt());
    CPPUNIT_ASSERT_MESSAGE(name, name.size() < 80);
  }
  CPPUNIT_ASSERT_EQUAL(uint64_t(100), counted);
  CPPUNIT_ASSERT_MESSAGE(std::to_string(names), names <= 33);
  CPPUNIT_ASSERT_MESSAGE("200 set_deflate took " + std::to_string(deflateMs) + " ms",
                         deflateMs < 2000);
}

void HardeningTest::testProtocolErrorAndDigestFailureReachThePeerAsDisconnect() {
  {
    auto config = testConfig();
    RunningServer server(config, "tcp://127.0.0.1:0");
    RawPeer garbage(server.url());
    garbage.sendBytes(std::string("P\x01\x00\x00\x0f\xff\xff\xff", 8));
    const auto bye = garbage.receiveType("disconnect");
    CPPUNIT_ASSERT_MESSAGE("a protocol error must be explained before the close", bye.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("protocol error"), (*bye)[1].asBytes());
    CPPUNIT_ASSERT(garbage.closedByPeer());
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, refusals(server, Refusal::ProtocolError));
  }
  {
    auto config = guardedConfig();
    RunningServer server(config, "tcp://127.0.0.1:0");
    RawPeer peer(server.url());
    Value caps = hello("user");
    caps.set("salt-digest", Value(Value::List{Value("xor")}));
    peer.sendPacket({Value("hello"), caps});
    const auto bye = peer.receiveType("disconnect");
    CPPUNIT_ASSERT(bye.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("authentication failed"), (*bye)[1].asBytes());
    CPPUNIT_ASSERT_EQUAL_MESSAGE("the detail is for the server's log only", size_t(2), bye->size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, refusals(server, Refusal::AuthFailed));
  }
}

void HardeningTest::testWindowCountAndSizeLimits() {
  // The synthetic desktop opens several windows; a client is shown one at most.
  auto config = testConfig();
  config.set("server.max-windows", "1", "test");
  RunningServer server(config, "tcp://127.0.0.1:0");
  std::map<uint64_t, rdk::session::ClientWindow> windows;
  const auto summary = runClient(config, server.url(), 1.5, false, "", &windows);
  CPPUNIT_ASSERT_MESSAGE(summary.endReason, summary.handshakeOk);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, windows.size());
  CPPUNIT_ASSERT(summary.draws > 0);  // and the one it is shown is painted
  CPPUNIT_ASSERT(refusals(server, Refusal::WindowCount) >= 1);
  // No window fits within 16 pixels: none is shown, and the session still runs.
  auto tiny = testConfig();
  tiny.set("server.max-window-size", "16", "test");
  RunningServer strict(tiny, "tcp://127.0.0.1:0");
  std::map<uint64_t, rdk::session::ClientWindow> none;
  const auto empty = runClient(tiny, strict.url(), 1.0, false, "", &none);
  CPPUNIT_ASSERT_MESSAGE(empty.endReason, empty.handshakeOk);
  CPPUNIT_ASSERT(none.empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, empty.draws);
  CPPUNIT_ASSERT(refusals(strict, Refusal::WindowSize) >= 1);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, refusals(strict, Refusal::WindowCount, 0));
}
