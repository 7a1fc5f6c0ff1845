#include "LivenessInputTest.h"

#include "client_test_support.hpp"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/client_input.h"
#include "rdk/session/client_liveness.h"

CPPUNIT_TEST_SUITE_REGISTRATION(LivenessInputTest);

using namespace rdk::protocol;
using rdk::session::Delivery;
using rdk::session::InputForwarder;
using rdk::session::Liveness;
using rdk::session::WindowMirror;
using rdk::test::FakeClock;
using rdk::test::protocolErrorOf;
using rdk::test::RecordingSink;

void LivenessInputTest::testPingIsEchoed() {
  RecordingSink sink;
  FakeClock clock;
  Liveness liveness(sink, clock);
  MessageDispatcher d;
  liveness.registerWith(d);
  // A 3.1.3 server's ping carries its wall clock too; the echo has the first time only.
  CPPUNIT_ASSERT(d.dispatch({Value("ping"), Value(429958), Value(1795305447179LL)}));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, sink.sent.size());
  CPPUNIT_ASSERT(sink.sent[0].packet == Packet({Value("ping_echo"), Value(429958), Value(0),
                                                Value(0), Value(0), Value(0), Value("")}));
  // Later echoes carry our median round trip.
  clock.us = 10'000'000;
  d.dispatch(PingEcho{9'990, 0, 0, 0, -1, ""}.toPacket());
  d.dispatch(Ping{5, std::nullopt}.toPacket());
  CPPUNIT_ASSERT((sink.of<PingEcho>().back() == PingEcho{5, 0, 0, 0, 10, ""}));
}

void LivenessInputTest::testEchoGivesTheRoundTrip() {
  RecordingSink sink;
  FakeClock clock;
  Liveness liveness(sink, clock);
  MessageDispatcher d;
  liveness.registerWith(d);
  clock.us = 5'000'000;  // 5000 ms
  d.dispatch(PingEcho{4'975, 3731, 1895, 782, -1, ""}.toPacket());
  clock.us = 7'000'000;
  d.dispatch(PingEcho{6'965, 0, 0, 0, 12, "sid"}.toPacket());
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, liveness.rtt().count());
  CPPUNIT_ASSERT_EQUAL(35.0, liveness.rtt().recentPercentile(50));  // of 25 and 35
  CPPUNIT_ASSERT_EQUAL(25.0, liveness.rtt().recentPercentile(0));
  CPPUNIT_ASSERT(sink.sent.empty());  // an echo is not answered
}

void LivenessInputTest::testPingSequenceChecksEchoOrder() {
  RecordingSink sink;
  FakeClock clock;
  Liveness liveness(sink, clock);
  MessageDispatcher d;
  liveness.registerWith(d);
  for (int i = 0; i < 3; ++i) {
    clock.us = 1'000'000 + uint64_t(i) * Liveness::kPingIntervalUs;
    liveness.tick();
  }
  const auto pings = sink.of<Ping>();
  CPPUNIT_ASSERT_EQUAL(size_t{3}, pings.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t{3}, liveness.sequence().sent);
  // In order: nothing to report. Then a late one (before the last) and a repeated one.
  d.dispatch(PingEcho{pings[0].timeMs, 0, 0, 0, -1, ""}.toPacket());
  d.dispatch(PingEcho{pings[2].timeMs, 0, 0, 0, -1, ""}.toPacket());
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, liveness.sequence().outOfOrder);
  d.dispatch(PingEcho{pings[1].timeMs, 0, 0, 0, -1, ""}.toPacket());
  d.dispatch(PingEcho{pings[2].timeMs, 0, 0, 0, -1, ""}.toPacket());
  CPPUNIT_ASSERT_EQUAL(uint64_t{4}, liveness.sequence().echoed);
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, liveness.sequence().outOfOrder);
  // Two pings within one millisecond still carry distinct, increasing times.
  Liveness fast(sink, clock);
  clock.us = 9'000'000'000;
  fast.tick();
  clock.us += Liveness::kPingIntervalUs;
  fast.tick();
  const auto all = sink.of<Ping>();
  CPPUNIT_ASSERT(all[all.size() - 1].timeMs > all[all.size() - 2].timeMs);
}

void LivenessInputTest::testPingsEveryTwoSeconds() {
  RecordingSink sink;
  FakeClock clock;
  Liveness liveness(sink, clock);
  clock.us = 3'000'500;
  liveness.tick();  // the first at once
  clock.us = 4'999'999;
  liveness.tick();
  clock.us = 5'000'500;
  liveness.tick();
  clock.us = 5'100'000;
  liveness.tick();
  auto pings = sink.of<Ping>();
  CPPUNIT_ASSERT_EQUAL(size_t{2}, pings.size());
  CPPUNIT_ASSERT((pings[0] == Ping{3'000, std::nullopt}));
  CPPUNIT_ASSERT((pings[1] == Ping{5'000, std::nullopt}));
  CPPUNIT_ASSERT(sink.sent[0].packet == Packet({Value("ping"), Value(3000)}));
  CPPUNIT_ASSERT(sink.sent[0].delivery == Delivery::Reliable);
}

void LivenessInputTest::testMalformedPings() {
  RecordingSink sink;
  FakeClock clock;
  Liveness liveness(sink, clock);
  MessageDispatcher d;
  liveness.registerWith(d);
  CPPUNIT_ASSERT_EQUAL(std::string("ping: field 'time' (1): expected int, got bytes"),
                       protocolErrorOf([&] {
                         d.dispatch({Value("ping"), Value("soon")});
                       }));
  CPPUNIT_ASSERT_EQUAL(std::string("ping: expected at least 1 arguments, got 0"),
                       protocolErrorOf([&] { d.dispatch({Value("ping")}); }));
  CPPUNIT_ASSERT_EQUAL(std::string("ping_echo: expected at least 5 arguments, got 1"),
                       protocolErrorOf([&] {
                         d.dispatch({Value("ping_echo"), Value(1)});
                       }));
  CPPUNIT_ASSERT(sink.sent.empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, liveness.rtt().count());
}

void LivenessInputTest::testSyntheticInput() {
  RecordingSink sink;
  WindowMirror mirror(sink);
  InputForwarder input(sink, mirror);
  input.synthetic(1'000'000);
  CPPUNIT_ASSERT(sink.sent.empty());  // no window yet
  NewOverrideRedirect menu;
  menu.wid = 2;
  menu.width = menu.height = 10;
  mirror.onNewWindow(menu, rdk::session::WindowKind::OverrideRedirect);
  mirror.onNewWindow(NewWindow{3, 100, 200, 50, 40, {}, {}});
  sink.sent.clear();           // the map-window
  input.synthetic(2'000'000);  // step 0: motion, then a key typed
  input.synthetic(2'100'000);  // too soon
  CPPUNIT_ASSERT_EQUAL(size_t{3}, sink.sent.size());
  CPPUNIT_ASSERT(sink.sent[0].packet == Packet({Value("pointer-position"), Value(3),
                                                Value(Value::List{Value(100), Value(200)}),
                                                Value(Value::List{}), Value(Value::List{})}));
  CPPUNIT_ASSERT(sink.sent[0].delivery == Delivery::Droppable);
  CPPUNIT_ASSERT_EQUAL(InputForwarder::kMotionKey, sink.sent[0].supersedeKey);
  CPPUNIT_ASSERT(sink.sent[1].packet ==
                 Packet({Value("key-action"), Value(3), Value("r"), Value(true),
                         Value(Value::List{}), Value(0), Value("r"), Value(0), Value(0)}));
  CPPUNIT_ASSERT(!KeyAction::fromPacket(sink.sent[2].packet).pressed);
  for (uint64_t step = 1; step <= 4; ++step)
    input.synthetic(2'000'000 + step * 250'000);
  // Step 4: a click where the pointer is, pressed then released.
  auto buttons = sink.of<ButtonAction>();
  CPPUNIT_ASSERT_EQUAL(size_t{2}, buttons.size());
  CPPUNIT_ASSERT(
      (buttons[0] == ButtonAction{3, 1, true, 100 + 4 * 37 % 50, 200 + 4 * 23 % 40, {}, {}, {}}));
  CPPUNIT_ASSERT(!buttons[1].pressed);
  CPPUNIT_ASSERT_EQUAL(size_t{5}, sink.of<PointerPosition>().size());
}

void LivenessInputTest::testLocalInputInRootCoordinates() {
  RecordingSink sink;
  WindowMirror mirror(sink);
  InputForwarder input(sink, mirror);
  mirror.onNewWindow(NewWindow{3, 100, 200, 50, 40, {}, {}});
  sink.sent.clear();
  rdk_input_event e{};
  e.struct_size = sizeof(e);
  e.wid = 3;
  e.type = RDK_INPUT_KEY;
  e.keyname = "Return";
  e.pressed = 1;
  e.keyval = 0xff0d;
  e.keycode = 36;
  input.local(e);
  CPPUNIT_ASSERT(sink.sent.back().packet ==
                 Packet({Value("key-action"), Value(3), Value("Return"), Value(true),
                         Value(Value::List{}), Value(0xff0d), Value(""), Value(36), Value(0)}));
  e.keyname = nullptr;
  e.pressed = 0;
  input.local(e);
  CPPUNIT_ASSERT((sink.of<KeyAction>().back().keyname.empty()));
  e.type = RDK_INPUT_BUTTON;
  e.button = 3;
  e.pressed = 1;
  e.x = 5;
  e.y = 6;
  input.local(e);
  CPPUNIT_ASSERT(sink.sent.back().packet ==
                 Packet({Value("button-action"), Value(3), Value(3), Value(true),
                         Value(Value::List{Value(105), Value(206)}), Value(Value::List{}),
                         Value(Value::List{})}));
  e.type = RDK_INPUT_MOTION;
  e.wid = 99;  // not one of ours: coordinates as they are
  input.local(e);
  CPPUNIT_ASSERT((sink.of<PointerPosition>().back() ==
                  PointerPosition{99, 5, 6, std::nullopt, {}, {}, false}));
  CPPUNIT_ASSERT(sink.sent.back().delivery == Delivery::Droppable);
  CPPUNIT_ASSERT_EQUAL(InputForwarder::kMotionKey, sink.sent.back().supersedeKey);
}
