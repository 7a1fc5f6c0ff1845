#include "DispatcherTest.h"

#include <stdexcept>

#include "rdk/protocol/protocol.h"

CPPUNIT_TEST_SUITE_REGISTRATION(DispatcherTest);

using namespace rdk::protocol;

static_assert(Message<Ping>);
static_assert(Message<Draw>);
static_assert(Message<NewOverrideRedirect>);
static_assert(!Message<Packet>);
static_assert(!Message<Value>);

namespace {

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

void DispatcherTest::testDispatchesByType() {
  MessageDispatcher d;
  std::vector<int64_t> pings;
  std::vector<int64_t> newWindows;
  int64_t movedWid = 0;
  d.on<Ping>([&](const Ping& p) { pings.push_back(p.timeMs); });
  // By value, by rvalue, and a derived message handled through its base.
  d.on<NewOverrideRedirect>([&](const NewWindow& w) { newWindows.push_back(w.wid); });
  d.on<WindowMoveResize>([&](WindowMoveResize&& m) { movedWid = m.wid; });
  d.ignore<SetDeflate>();
  CPPUNIT_ASSERT(d.handles("ping") && d.handles("set_deflate") && !d.handles("draw"));
  CPPUNIT_ASSERT((d.types() == std::vector<std::string>{"new-override-redirect", "ping",
                                                        "set_deflate", "window-move-resize"}));

  CPPUNIT_ASSERT(d.dispatch(Ping{42, std::nullopt}.toPacket()));
  CPPUNIT_ASSERT(d.dispatch(Ping{43, 1795305447179LL}.toPacket()));
  NewOverrideRedirect menu;
  menu.wid = 9;
  menu.width = menu.height = 10;
  CPPUNIT_ASSERT(d.dispatch(menu.toPacket()));
  CPPUNIT_ASSERT(d.dispatch(WindowMoveResize{5, 1, 2, 3, 4, 0}.toPacket()));
  CPPUNIT_ASSERT(d.dispatch(SetDeflate{3}.toPacket()));
  CPPUNIT_ASSERT((pings == std::vector<int64_t>{42, 43}));
  CPPUNIT_ASSERT((newWindows == std::vector<int64_t>{9}));
  CPPUNIT_ASSERT_EQUAL(int64_t{5}, movedWid);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, d.unknown().total());
}

void DispatcherTest::testMalformedRaisesFieldError() {
  MessageDispatcher d;
  int calls = 0;
  d.on<Draw>([&](const Draw&) { ++calls; });
  d.ignore<SetDeflate>();
  CPPUNIT_ASSERT_EQUAL(
      std::string("draw: field 'wid' (1): expected int, got list"), errorOf([&] {
        d.dispatch({Value("draw"), Value(Value::List{}), Value(0), Value(0), Value(1), Value(1),
                    Value("png"), Value(""), Value(1), Value(0)});
      }));
  CPPUNIT_ASSERT(errorOf([&] {
                   d.dispatch({Value("draw"), Value(1)});
                 }).find("draw: expected at least 9 arguments, got 1") == 0);
  // Ignored messages are still checked.
  CPPUNIT_ASSERT_EQUAL(std::string("set_deflate: field 'level' (1): expected int, got bytes"),
                       errorOf([&] {
                         d.dispatch({Value("set_deflate"), Value("x")});
                       }));
  CPPUNIT_ASSERT_EQUAL(0, calls);
  // The dispatcher is still usable.
  Draw draw;
  draw.wid = 1;
  draw.coding = "png";
  CPPUNIT_ASSERT(d.dispatch(draw.toPacket()));
  CPPUNIT_ASSERT_EQUAL(1, calls);
}

void DispatcherTest::testUnknownReportedOncePerType() {
  MessageDispatcher d;
  std::vector<std::string> reported;
  d.onUnknown([&](std::string_view type, const Packet&) { reported.emplace_back(type); });
  CPPUNIT_ASSERT(!d.dispatch({Value("notify_show"), Value(1)}));
  CPPUNIT_ASSERT(!d.dispatch({Value("notify_show"), Value(2)}));
  CPPUNIT_ASSERT(!d.dispatch({Value("desktop_size"), Value(1), Value(2)}));
  CPPUNIT_ASSERT(!d.dispatch({Value("")}));
  CPPUNIT_ASSERT(!d.dispatch({Value("")}));
  CPPUNIT_ASSERT((reported == std::vector<std::string>{"notify_show", "desktop_size", ""}));
  CPPUNIT_ASSERT_EQUAL(uint64_t{5}, d.unknown().total());
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, d.unknown().counts().at("notify_show"));
}

void DispatcherTest::testUnknownNamesAreBounded() {
  MessageDispatcher d;
  std::vector<std::string> reported;
  d.onUnknown([&](std::string_view type, const Packet&) { reported.emplace_back(type); });
  // A long name with control bytes: printable and cut.
  d.dispatch({Value(std::string("bad\x01\n") + std::string(400000, 'x'))});
  CPPUNIT_ASSERT_EQUAL(size_t{1}, reported.size());
  CPPUNIT_ASSERT_EQUAL(std::string("bad??") + std::string(35, 'x') + "...", reported[0]);
  // Thousands of invented names: 32 names kept, the rest counted together, reported once.
  for (int i = 0; i < 5000; ++i)
    d.dispatch({Value("made-up-" + std::to_string(i))});
  CPPUNIT_ASSERT_EQUAL(size_t{32}, reported.size());
  CPPUNIT_ASSERT_EQUAL(std::string(TypeNameCounter::kOverflowName), reported.back());
  CPPUNIT_ASSERT_EQUAL(size_t{32}, d.unknown().counts().size());
  CPPUNIT_ASSERT_EQUAL(uint64_t{5001}, d.unknown().total());
  CPPUNIT_ASSERT_EQUAL(uint64_t{5001 - 31}, d.unknown().counts().at("(other)"));

  TypeNameCounter small(2, 4);
  CPPUNIT_ASSERT_EQUAL(std::string("abcd..."), small.add("abcdef").value_or("-"));
  CPPUNIT_ASSERT(!small.add("abcdXY").has_value());  // same printable name
  CPPUNIT_ASSERT_EQUAL(std::string("(other)"), small.add("q").value_or("-"));
  CPPUNIT_ASSERT(!small.add("r").has_value());
}

void DispatcherTest::testPacketWithoutType() {
  MessageDispatcher d;
  CPPUNIT_ASSERT(errorOf([&] { d.dispatch({}); }).find("packet without a type") == 0);
  CPPUNIT_ASSERT(errorOf([&] { d.dispatch({Value(7)}); }).find("packet without a type: 7") == 0);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, d.unknown().total());
}

void DispatcherTest::testHandlerReplacedAndExceptionsPropagate() {
  MessageDispatcher d;
  int first = 0, second = 0;
  d.on<Ping>([&](const Ping&) { ++first; });
  d.on<Ping>([&](const Ping&) { ++second; });
  d.dispatch(Ping{1, std::nullopt}.toPacket());
  CPPUNIT_ASSERT_EQUAL(0, first);
  CPPUNIT_ASSERT_EQUAL(1, second);
  d.on<Ping>([](const Ping&) { throw std::runtime_error("handler failed"); });
  bool caught = false;
  try {
    d.dispatch(Ping{1, std::nullopt}.toPacket());
  } catch (const std::runtime_error& e) {
    caught = std::string(e.what()) == "handler failed";
  }
  CPPUNIT_ASSERT(caught);
}
