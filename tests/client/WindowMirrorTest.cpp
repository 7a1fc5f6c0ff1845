#include "WindowMirrorTest.h"

#include "client_test_support.hpp"
#include "rdk/protocol/messages/all.h"

CPPUNIT_TEST_SUITE_REGISTRATION(WindowMirrorTest);

using namespace rdk::protocol;
using rdk::session::ClientWindow;
using rdk::session::WindowKind;
using rdk::session::WindowMirror;
using rdk::test::protocolErrorOf;
using rdk::test::RecordingDisplay;
using rdk::test::RecordingSink;

namespace {

Value::Dict dictOf(std::initializer_list<std::pair<const char*, Value>> items) {
  Value::Dict d;
  for (const auto& [k, v] : items)
    d.emplace_back(Value(k), v);
  return d;
}

struct Fixture {
  RecordingSink sink;
  RecordingDisplay display;
  WindowMirror mirror{sink, &display};
  MessageDispatcher dispatcher;
  Fixture() { mirror.registerWith(dispatcher); }
  void receive(const Packet& p) { CPPUNIT_ASSERT(dispatcher.dispatch(p)); }
};

}  // namespace

void WindowMirrorTest::testNewWindowIsMapped() {
  Fixture f;
  f.receive(NewWindow{3, 10, 20, 640, 480, dictOf({{"title", Value("xterm")}}), {}}.toPacket());
  const ClientWindow* w = f.mirror.find(3);
  CPPUNIT_ASSERT(w);
  CPPUNIT_ASSERT(w->kind == WindowKind::Normal);
  CPPUNIT_ASSERT_EQUAL(10, w->geometry.x);
  CPPUNIT_ASSERT_EQUAL(20, w->geometry.y);
  CPPUNIT_ASSERT_EQUAL(640u, w->geometry.w);
  CPPUNIT_ASSERT_EQUAL(480u, w->geometry.h);
  CPPUNIT_ASSERT_EQUAL(size_t{640} * 480 * 4, w->pixels.size());
  CPPUNIT_ASSERT_EQUAL(std::string("xterm"), w->metadata.find("title")->asBytes());
  // The map-window reply, in the exact layout a stock Xpra server needs; its client properties
  // say the window paints scroll draws, as the stock 3.1.3 client's do.
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.sink.sent.size());
  CPPUNIT_ASSERT(f.sink.sent[0].packet ==
                 Packet({Value("map-window"), Value(3), Value(10), Value(20), Value(640),
                         Value(480), Value(Value::Dict{{Value("encoding.scrolling"), Value(true)}}),
                         Value(Value::Dict{})}));
  CPPUNIT_ASSERT(f.sink.sent[0].delivery == rdk::session::Delivery::Reliable);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.display.events.size());
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_NEW}, f.display.events[0].type);
  CPPUNIT_ASSERT_EQUAL(640u, f.display.events[0].rect.w);
  // ...with its metadata, so that the native window is named at once.
  CPPUNIT_ASSERT(f.display.events[0].metadataJson.find("\"title\":\"xterm\"") != std::string::npos);
  // A second new-window for the same id replaces it (and maps it again).
  f.receive(NewWindow{3, 0, 0, 100, 50, {}, {}}.toPacket());
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.mirror.windows().size());
  CPPUNIT_ASSERT_EQUAL(100u, f.mirror.find(3)->geometry.w);
  CPPUNIT_ASSERT_EQUAL(size_t{2}, f.sink.of<MapWindow>().size());
}

void WindowMirrorTest::testOverrideRedirectAndTray() {
  Fixture f;
  NewOverrideRedirect menu;
  menu.wid = 4;
  menu.x = 30;
  menu.y = 40;
  menu.width = 120;
  menu.height = 200;
  f.receive(menu.toPacket());
  f.receive(NewTray{5, 24, 24, dictOf({{"title", Value("tray")}})}.toPacket());
  CPPUNIT_ASSERT(f.sink.sent.empty());  // only normal windows are mapped
  CPPUNIT_ASSERT(f.mirror.find(4)->kind == WindowKind::OverrideRedirect);
  CPPUNIT_ASSERT_EQUAL(30, f.mirror.find(4)->geometry.x);
  const ClientWindow* tray = f.mirror.find(5);
  CPPUNIT_ASSERT(tray->kind == WindowKind::Tray);
  CPPUNIT_ASSERT_EQUAL(0, tray->geometry.x);
  CPPUNIT_ASSERT_EQUAL(24u, tray->geometry.w);
  CPPUNIT_ASSERT_EQUAL(std::string("tray"), tray->metadata.find("title")->asBytes());
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_NEW_OVERRIDE_REDIRECT}, f.display.events[0].type);
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_NEW_TRAY}, f.display.events[1].type);
  // configure-override-redirect moves the popup.
  f.receive(ConfigureOverrideRedirect{4, 50, 60, 130, 210}.toPacket());
  CPPUNIT_ASSERT_EQUAL(50, f.mirror.find(4)->geometry.x);
  CPPUNIT_ASSERT_EQUAL(210u, f.mirror.find(4)->geometry.h);
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_MOVE_RESIZE}, f.display.events.back().type);
}

void WindowMirrorTest::testGeometryStackingAndMetadata() {
  Fixture f;
  f.receive(
      NewWindow{1, 0, 0, 4, 4, dictOf({{"title", Value("a")}, {"pid", Value(7)}}), {}}.toPacket());
  f.receive(NewWindow{2, 2, 2, 4, 4, {}, {}}.toPacket());
  CPPUNIT_ASSERT(f.mirror.find(2)->stackOrder > f.mirror.find(1)->stackOrder);
  f.receive(RaiseWindow{1}.toPacket());
  CPPUNIT_ASSERT(f.mirror.find(1)->stackOrder > f.mirror.find(2)->stackOrder);
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_RAISE}, f.display.events.back().type);

  // Pixels survive a resize where they still fit.
  f.mirror.find(1)->pixels.assign(4 * 4 * 4, 0xAB);
  f.receive(WindowMoveResize{1, 5, 6, 8, 2, 1}.toPacket());
  const ClientWindow* w = f.mirror.find(1);
  CPPUNIT_ASSERT_EQUAL(5, w->geometry.x);
  CPPUNIT_ASSERT_EQUAL(6, w->geometry.y);
  CPPUNIT_ASSERT_EQUAL(8u, w->geometry.w);
  CPPUNIT_ASSERT_EQUAL(2u, w->geometry.h);
  CPPUNIT_ASSERT_EQUAL(size_t{8 * 2 * 4}, w->pixels.size());
  CPPUNIT_ASSERT_EQUAL(uint8_t{0xAB}, w->pixels[0]);
  CPPUNIT_ASSERT_EQUAL(uint8_t{0}, w->pixels[4 * 4]);  // the new columns are black
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_MOVE_RESIZE}, f.display.events.back().type);

  f.receive(WindowResized{1, 3, 3, 2}.toPacket());
  CPPUNIT_ASSERT_EQUAL(5, f.mirror.find(1)->geometry.x);
  CPPUNIT_ASSERT_EQUAL(3u, f.mirror.find(1)->geometry.w);
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_MOVE_RESIZE}, f.display.events.back().type);

  // Metadata changes merge into what the window has.
  f.receive(WindowMetadata{1, dictOf({{"title", Value("b")}, {"modal", Value(true)}})}.toPacket());
  const Value& m = f.mirror.find(1)->metadata;
  CPPUNIT_ASSERT_EQUAL(std::string("b"), m.find("title")->asBytes());
  CPPUNIT_ASSERT_EQUAL(int64_t{7}, m.find("pid")->asInt());
  CPPUNIT_ASSERT(m.find("modal")->asBool());
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_METADATA}, f.display.events.back().type);
  CPPUNIT_ASSERT_EQUAL(m.toJson(), f.display.events.back().metadataJson);

  // What the snapshot shows: the raised window above the other one where they overlap.
  f.receive(WindowMoveResize{2, 2, 2, 6, 6, 1}.toPacket());
  f.mirror.find(2)->pixels.assign(6 * 6 * 4, 0x22);
  f.mirror.find(1)->pixels.assign(3 * 3 * 4, 0x11);
  auto canvas = rdk::session::composeDesktop(f.mirror.windows(), 10, 10);
  CPPUNIT_ASSERT_EQUAL(uint8_t{0x11}, canvas[(6 * 10 + 5) * 4]);  // both there: 1 is on top
  CPPUNIT_ASSERT_EQUAL(uint8_t{0x22}, canvas[(2 * 10 + 2) * 4]);
  CPPUNIT_ASSERT_EQUAL(uint8_t{0}, canvas[(9 * 10 + 0) * 4]);
  f.receive(RaiseWindow{2}.toPacket());
  canvas = rdk::session::composeDesktop(f.mirror.windows(), 10, 10);
  CPPUNIT_ASSERT_EQUAL(uint8_t{0x22}, canvas[(6 * 10 + 5) * 4]);
  CPPUNIT_ASSERT_EQUAL(uint8_t{0x11}, canvas[(8 * 10 + 7) * 4]);  // 1 only
}

void WindowMirrorTest::testLostWindowAndUnknownWindows() {
  Fixture f;
  f.receive(NewWindow{1, 0, 0, 4, 4, {}, {}}.toPacket());
  const size_t events = f.display.events.size(), sent = f.sink.sent.size();
  // Packets about windows we never saw change nothing and send nothing.
  f.receive(RaiseWindow{9}.toPacket());
  f.receive(WindowMoveResize{9, 1, 1, 2, 2, 0}.toPacket());
  f.receive(WindowResized{9, 2, 2, 0}.toPacket());
  f.receive(WindowMetadata{9, dictOf({{"title", Value("x")}})}.toPacket());
  f.receive(ConfigureOverrideRedirect{9, 1, 1, 2, 2}.toPacket());
  f.receive(LostWindow{9}.toPacket());
  CPPUNIT_ASSERT_EQUAL(events, f.display.events.size());
  CPPUNIT_ASSERT_EQUAL(sent, f.sink.sent.size());
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.mirror.windows().size());

  f.receive(LostWindow{1}.toPacket());
  CPPUNIT_ASSERT(!f.mirror.find(1));
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_LOST}, f.display.events.back().type);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.display.events.back().wid);
  f.receive(LostWindow{1}.toPacket());  // twice: nothing more
  f.receive(RaiseWindow{1}.toPacket());
  CPPUNIT_ASSERT_EQUAL(events + 1, f.display.events.size());
}

void WindowMirrorTest::testBell() {
  Fixture f;
  f.receive(NewWindow{1, 0, 0, 4, 4, {}, {}}.toPacket());
  f.receive(Bell{1, 0, 50, 440, 100, 0, 0, ""}.toPacket());
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_WINDOW_BELL}, f.display.events.back().type);
  const size_t events = f.display.events.size();
  f.receive(Bell{0, 0, 50, 440, 100, 0, 0, "bell"}.toPacket());  // not one of our windows
  CPPUNIT_ASSERT_EQUAL(events, f.display.events.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, f.mirror.bells());
  // The drift of issue 11: a string bell_class is the typed layer's error.
  CPPUNIT_ASSERT_EQUAL(
      std::string("bell: field 'bell_class' (6): expected int, got bytes"), protocolErrorOf([&] {
        f.dispatcher.dispatch({Value("bell"), Value(1), Value(0), Value(50), Value(440), Value(100),
                               Value(""), Value(0), Value("")});
      }));
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, f.mirror.bells());
}

void WindowMirrorTest::testMalformedAndOversizedAreRefused() {
  Fixture f;
  CPPUNIT_ASSERT_EQUAL(std::string("new-window: field 'x' (2): expected int, got bytes"),
                       protocolErrorOf([&] {
                         f.dispatcher.dispatch({Value("new-window"), Value(1), Value("0"), Value(0),
                                                Value(4), Value(4), Value(Value::Dict{})});
                       }));
  CPPUNIT_ASSERT(protocolErrorOf([&] {
                   f.dispatcher.dispatch({Value("new-tray"), Value(1), Value(4), Value(4)});
                 }).find("new-tray: expected at least 4 arguments") == 0);
  CPPUNIT_ASSERT_EQUAL(std::string("new-window: window size 16385x4 outside 0..16384"),
                       protocolErrorOf([&] {
                         f.receive(NewWindow{1, 0, 0, 16385, 4, {}, {}}.toPacket());
                       }));
  NewOverrideRedirect negative;
  negative.wid = 2;
  negative.width = -1;
  negative.height = 4;
  CPPUNIT_ASSERT_EQUAL(std::string("new-override-redirect: window size -1x4 outside 0..16384"),
                       protocolErrorOf([&] { f.receive(negative.toPacket()); }));
  CPPUNIT_ASSERT(f.mirror.windows().empty());
  CPPUNIT_ASSERT(f.sink.sent.empty());
  f.receive(NewWindow{1, 0, 0, 4, 4, {}, {}}.toPacket());
  CPPUNIT_ASSERT_EQUAL(std::string("window-move-resize: window size 4x-4 outside 0..16384"),
                       protocolErrorOf([&] {
                         f.receive(WindowMoveResize{1, 9, 9, 4, -4, 0}.toPacket());
                       }));
  CPPUNIT_ASSERT_EQUAL(std::string("window-resized: window size 99999x4 outside 0..16384"),
                       protocolErrorOf([&] {
                         f.receive(WindowResized{1, 99999, 4, 0}.toPacket());
                       }));
  CPPUNIT_ASSERT_EQUAL(0, f.mirror.find(1)->geometry.x);  // unchanged
  CPPUNIT_ASSERT_EQUAL(4u, f.mirror.find(1)->geometry.w);
}
