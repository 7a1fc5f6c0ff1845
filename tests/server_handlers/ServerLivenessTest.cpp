#include "ServerLivenessTest.h"

#include "client_test_support.hpp"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/server_liveness.h"

CPPUNIT_TEST_SUITE_REGISTRATION(ServerLivenessTest);

using namespace rdk::protocol;
using rdk::session::ServerLiveness;
using rdk::test::FakeClock;
using rdk::test::protocolErrorOf;
using rdk::test::RecordingSink;

namespace {

constexpr uint64_t kIntervalUs = 5'000'000;

std::array<double, 3> fixedLoad() {
  return {0.5, 1.25, 2.0};
}

uint64_t fixedWallClock() {
  return 1'795'305'447'179ULL;
}

}  // namespace

void ServerLivenessTest::testPingIsEchoedWithLoad() {
  RecordingSink sink;
  FakeClock clock;
  ServerLiveness liveness(sink, clock, kIntervalUs, fixedLoad, fixedWallClock);
  MessageDispatcher d;
  liveness.registerWith(d);
  // A 3.1.3 client's ping: its time only. Before any RTT sample the latency field is -1.
  CPPUNIT_ASSERT(d.dispatch({Value("ping"), Value(429958)}));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, sink.sent.size());
  CPPUNIT_ASSERT(sink.sent[0].packet == Packet({Value("ping_echo"), Value(429958), Value(500),
                                                Value(1250), Value(2000), Value(-1), Value("")}));
}

void ServerLivenessTest::testEchoGivesRoundTripAndClientLoad() {
  RecordingSink sink;
  FakeClock clock;
  ServerLiveness liveness(sink, clock, kIntervalUs, fixedLoad, fixedWallClock);
  MessageDispatcher d;
  liveness.registerWith(d);
  CPPUNIT_ASSERT_EQUAL(int64_t{-1}, liveness.clientLoad1000());
  clock.us = 10'000'000;  // 10000 ms
  d.dispatch(PingEcho{9'970, 730, 0, 0, 3, ""}.toPacket());
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, liveness.rtt().count());
  CPPUNIT_ASSERT_DOUBLES_EQUAL(30.0, liveness.rtt().recentPercentile(50), 1e-9);
  CPPUNIT_ASSERT_EQUAL(int64_t{730}, liveness.clientLoad1000());
  // Our median RTT now travels in the echo of the client's pings.
  d.dispatch(Ping{7, std::nullopt}.toPacket());
  CPPUNIT_ASSERT((sink.of<PingEcho>().back() == PingEcho{7, 500, 1250, 2000, 30, ""}));
}

void ServerLivenessTest::testPingsEveryInterval() {
  RecordingSink sink;
  FakeClock clock;
  ServerLiveness liveness(sink, clock, kIntervalUs, fixedLoad, fixedWallClock);
  liveness.tick();  // the first at once: monotonic ms and wall-clock ms
  CPPUNIT_ASSERT_EQUAL(size_t{1}, sink.of<Ping>().size());
  CPPUNIT_ASSERT((sink.of<Ping>()[0] == Ping{1000, int64_t(fixedWallClock())}));
  clock.us += kIntervalUs - 1;
  liveness.tick();
  CPPUNIT_ASSERT_EQUAL(size_t{1}, sink.of<Ping>().size());
  clock.us += 1;
  liveness.tick();
  CPPUNIT_ASSERT_EQUAL(size_t{2}, sink.of<Ping>().size());
  CPPUNIT_ASSERT_EQUAL(int64_t{6000}, sink.of<Ping>()[1].timeMs);
  // server.ping-interval = 0 means never (it used to mean every pass of the loop).
  RecordingSink quiet;
  ServerLiveness never(quiet, clock, 0, fixedLoad, fixedWallClock);
  never.tick();
  clock.us += 60'000'000;
  never.tick();
  CPPUNIT_ASSERT(quiet.sent.empty());
}

void ServerLivenessTest::testMalformedPings() {
  RecordingSink sink;
  FakeClock clock;
  ServerLiveness liveness(sink, clock, kIntervalUs, fixedLoad, fixedWallClock);
  MessageDispatcher d;
  liveness.registerWith(d);
  CPPUNIT_ASSERT_EQUAL(std::string("ping: field 'time' (1): expected int, got bytes"),
                       protocolErrorOf([&] {
                         d.dispatch({Value("ping"), Value("soon")});
                       }));
  CPPUNIT_ASSERT_EQUAL(std::string("ping_echo: expected at least 5 arguments, got 1"),
                       protocolErrorOf([&] {
                         d.dispatch({Value("ping_echo"), Value(1)});
                       }));
  CPPUNIT_ASSERT(sink.sent.empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, liveness.rtt().count());
  CPPUNIT_ASSERT_EQUAL(int64_t{-1}, liveness.clientLoad1000());
}
