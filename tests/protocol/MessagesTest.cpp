#include "MessagesTest.h"

#include <functional>
#include <set>

#include "rdk/protocol/protocol.h"

CPPUNIT_TEST_SUITE_REGISTRATION(MessagesTest);

using namespace rdk::protocol;

namespace {

Value::Dict dictOf(std::initializer_list<std::pair<const char*, Value>> items) {
  Value::Dict d;
  for (const auto& [k, v] : items)
    d.emplace_back(Value(k), v);
  return d;
}

// Through a real record stream (rencode + lz4, raw chunks as they come) and back.
Packet throughWire(const Packet& p, PacketEncoding enc = PacketEncoding::Rencode) {
  RecordWriter w;
  w.setEncoding(enc);
  w.setCompression(Compression::Lz4, 1);
  RecordReader r;
  std::vector<Packet> out;
  auto failure = r.feed(w.write(p), [&](Packet&& q) { out.push_back(std::move(q)); });
  CPPUNIT_ASSERT_MESSAGE(failure ? failure->message : "", !failure);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, out.size());
  return out[0];
}

template <typename M>
void checkRoundTrip(const M& m) {
  Packet p = m.toPacket();
  CPPUNIT_ASSERT(p[0] == Value(M::kType));
  CPPUNIT_ASSERT_MESSAGE(std::string(M::kType), M::fromPacket(throughWire(p)) == m);
  // They also survive bencode (no floats or None in these layouts); bools come back as ints,
  // so compare the bencoded form.
  CPPUNIT_ASSERT_EQUAL_MESSAGE(
      std::string(M::kType), bencode(Value(p)),
      bencode(Value(M::fromPacket(throughWire(p, PacketEncoding::Bencode)).toPacket())));
}

template <typename M>
void expectFieldError(const Packet& p, const std::string& fragment) {
  try {
    M::fromPacket(p);
    CPPUNIT_FAIL("expected ProtocolError mentioning " + fragment);
  } catch (const ProtocolError& e) {
    CPPUNIT_ASSERT_MESSAGE(e.what(), std::string(e.what()).find(fragment) != std::string::npos);
  }
}

// One valid packet of a message, and which argument indexes may hold any value.
struct Sample {
  std::string type;
  Packet packet;
  std::function<Packet(const Packet&)> reparse;  // fromPacket(p).toPacket()
  std::set<size_t> anyValue;
};

template <typename M>
Sample sample(const M& m, std::set<size_t> anyValue = {}) {
  return Sample{std::string(M::kType), m.toPacket(),
                [](const Packet& p) { return M::fromPacket(p).toPacket(); }, std::move(anyValue)};
}

// A valid, fully populated packet of every message (longest form).
std::vector<Sample> everyMessage() {
  std::vector<Sample> out;
  out.push_back(sample(Hello{dictOf({{"version", Value("3.1.3")}})}));
  out.push_back(sample(
      Challenge{"salt", dictOf({{"cipher", Value("AES")}}), "hmac+sha256", "xor", "password"}));
  out.push_back(sample(Disconnect{"done", {"a", "b"}}, {2, 3}));
  out.push_back(sample(Ping{1, 2}));
  out.push_back(sample(PingEcho{1, 2, 3, 4, 5, "sid"}));
  out.push_back(sample(SetDeflate{1}));
  out.push_back(sample(StartupComplete{}));
  out.push_back(sample(InfoRequest{{"u"}, {1}, {"c"}}));
  out.push_back(sample(InfoResponse{dictOf({{"a", Value(1)}})}));
  out.push_back(sample(SettingChange{"xdg-menu", Value(dictOf({{"a", Value(1)}}))}, {2}));
  out.push_back(sample(ServerEvent{"connection-established", {Value("x"), Value(1)}}, {2, 3}));
  NewWindow nw{7, 1, 2, 30, 40, dictOf({{"title", Value("t")}}), dictOf({{"a", Value(1)}})};
  out.push_back(sample(nw));
  NewOverrideRedirect nor;
  static_cast<NewWindow&>(nor) = nw;
  out.push_back(sample(nor));
  out.push_back(sample(NewTray{9, 24, 24, dictOf({{"title", Value("tray")}})}));
  out.push_back(sample(RaiseWindow{7}));
  out.push_back(sample(WindowMoveResize{7, 1, 2, 3, 4, 5}));
  out.push_back(sample(WindowResized{7, 3, 4, 5}));
  out.push_back(sample(WindowMetadata{7, dictOf({{"title", Value("x")}})}));
  out.push_back(sample(LostWindow{7}));
  out.push_back(sample(ConfigureOverrideRedirect{7, 1, 2, 3, 4}));
  out.push_back(sample(WindowIcon{7, 16, 16, "png", "PNG"}));
  out.push_back(sample(BufferRefresh{
      7, 0, 100,
      BufferRefresh::Extra{dictOf({{"refresh-now", Value(true)}}), dictOf({{"a", Value(1)}})}}));
  out.push_back(sample(
      MapWindow{7, 1, 2, 3, 4, dictOf({{"workspace", Value(0)}}), dictOf({{"s", Value(1)}})}));
  out.push_back(sample(UnmapWindow{7, true, dictOf({{"iconified", Value(true)}})}));
  out.push_back(sample(ConfigureWindow{7, 1, 2, 3, 4, dictOf({{"screen", Value(0)}}), 3,
                                       dictOf({{"maximized", Value(false)}}), false,
                                       ConfigureWindow::Pointer{7, 100, 200, {"shift"}}}));
  out.push_back(sample(CloseWindow{7}));
  out.push_back(sample(Focus{7, {"mod2"}}));
  out.push_back(sample(Draw{7, 0, 0, 4, 4, "rgb24", "pixels", 1, 16, dictOf({{"a", Value(1)}})}));
  out.push_back(sample(Draw{7,
                            0,
                            0,
                            64,
                            64,
                            "scroll",
                            "",
                            2,
                            0,
                            dictOf({{"flush", Value(1)}}),
                            {{0, 16, 64, 48, 0, -16}}}));
  out.push_back(sample(DamageSequence{1, 7, 4, 4, 757, "msg"}));
  out.push_back(sample(KeyAction{7, "a", true, {"shift"}, 97, "a", 38, 0}));
  out.push_back(sample(ButtonAction{7, 1, true, 50, 60, {"mod2"}, {1}, {Value("x")}}, {7}));
  out.push_back(
      sample(PointerPosition{7, 50, 60, std::pair<int64_t, int64_t>{5, 6}, {"mod2"}, {1}, false}));
  out.push_back(
      sample(PointerPosition{7, 50, 60, std::pair<int64_t, int64_t>{5, 6}, {}, {}, true}));
  out.push_back(sample(Cursor{"png", 1, 2, 3, 4, 5, 6, 7, "PNG", "xterm", 22, 128, 128}));
  out.push_back(sample(Bell{7, 0, 50, 440, 100, 0, 1, "bell"}));
  out.push_back(
      sample(SoundData{"opus", "data", dictOf({{"sequence", Value(3)}}), Value::List{Value("a")}}));
  out.push_back(sample(SoundControl{"start", {Value("opus"), Value(1)}}, {2, 3}));
  return out;
}

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

void MessagesTest::testVerifiedLayouts() {
  // Packets seen on the wire from Xpra 3.1.3 (reference §5).
  PingEcho echo = PingEcho::fromPacket({Value("ping_echo"), Value(429452), Value(3731), Value(1895),
                                        Value(782), Value(-1), Value("")});
  CPPUNIT_ASSERT_EQUAL(int64_t{429452}, echo.echoedTimeMs);
  CPPUNIT_ASSERT_EQUAL(int64_t{-1}, echo.latencyMs);
  Ping ping = Ping::fromPacket({Value("ping"), Value(429958), Value(1795305447179LL)});
  CPPUNIT_ASSERT_EQUAL(int64_t{1795305447179LL}, *ping.wallclockMs);

  Draw draw;
  draw.wid = 2;
  draw.x = 2;
  draw.y = 15;
  draw.width = 36;
  draw.height = 13;
  draw.coding = "rgb24";
  draw.data = std::string(36 * 13 * 4, 'p');
  draw.packetSequence = 86;
  draw.rowstride = 144;
  draw.options = dictOf({{"rgb_format", Value("BGRX")}, {"lz4", Value(1)}});
  Packet dp = draw.toPacket();
  CPPUNIT_ASSERT_EQUAL(size_t{11}, dp.size());
  CPPUNIT_ASSERT(dp[7].asBytes() == draw.data && dp[9] == Value(144));

  DamageSequence ack = DamageSequence::fromPacket(
      {Value("damage-sequence"), Value(1), Value(1), Value(506), Value(67), Value(757), Value("")});
  CPPUNIT_ASSERT_EQUAL(int64_t{757}, ack.decodeTimeUs);
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, ack.wid);

  MapWindow map = MapWindow::fromPacket(
      {Value("map-window"), Value(1), Value(706), Value(506), Value(506), Value(67),
       Value(dictOf({{"workspace", Value(65535)}})), Value(Value::Dict{})});
  CPPUNIT_ASSERT_EQUAL(int64_t{706}, map.x);
  CPPUNIT_ASSERT(map.state.has_value() && map.state->empty());

  Focus focus = Focus::fromPacket({Value("focus"), Value(1), Value(Value::List{})});
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, focus.wid);

  Cursor cursor = Cursor::fromPacket(
      {Value("cursor"), Value("png"), Value(960), Value(540), Value(24), Value(24), Value(11),
       Value(12), Value(8), Value("PNGDATA"), Value("xterm"), Value(22), Value(128), Value(128)});
  CPPUNIT_ASSERT_EQUAL(std::string("xterm"), cursor.name);
  CPPUNIT_ASSERT_EQUAL(int64_t{11}, cursor.xhot);
  CPPUNIT_ASSERT_EQUAL(int64_t{128}, cursor.maxHeight);
  CPPUNIT_ASSERT(Cursor::fromPacket({Value("cursor"), Value("")}).isDefault());
  CPPUNIT_ASSERT_EQUAL(size_t{2}, Cursor{}.toPacket().size());

  NewWindow nw = NewWindow::fromPacket(
      {Value("new-window"), Value(2), Value(0), Value(0), Value(484), Value(329),
       Value(dictOf({{"title", Value("top -d 0.5")}, {"pid", Value(2586)}})),
       Value(Value::Dict{})});
  CPPUNIT_ASSERT_EQUAL(int64_t{484}, nw.width);

  Challenge ch =
      Challenge::fromPacket({Value("challenge"), Value(std::string(64, 's')), Value(""),
                             Value("hmac+sha256"), Value("hmac+sha256"), Value("password")});
  CPPUNIT_ASSERT(ch.authCaps.empty());
  CPPUNIT_ASSERT_EQUAL(std::string("hmac+sha256"), ch.saltDigest);
  CPPUNIT_ASSERT(ch.toPacket()[2] == Value(""));
}

void MessagesTest::testEveryMessageRoundTrips() {
  checkRoundTrip(Hello{dictOf({{"version", Value("3.1.3")}, {"rencode", Value(true)}})});
  checkRoundTrip(Challenge{std::string(64, '\x07'), dictOf({{"cipher", Value("AES")}}),
                           "hmac+sha256", "hmac+sha256", "password"});
  checkRoundTrip(
      Disconnect{std::string(disconnect_reason::kClientPingTimeout), {"no echo for 60s"}});
  checkRoundTrip(Ping{12345, std::nullopt});
  checkRoundTrip(Ping{12345, 1795305447179LL});
  checkRoundTrip(PingEcho{429452, 3731, 1895, 782, 3, "sid"});
  checkRoundTrip(SetDeflate{1});
  checkRoundTrip(StartupComplete{});
  NewWindow nw{7, 10, 20, 640, 480, dictOf({{"title", Value("xterm")}}), dictOf({{"a", Value(1)}})};
  checkRoundTrip(nw);
  NewOverrideRedirect nor;
  static_cast<NewWindow&>(nor) = nw;
  checkRoundTrip(nor);
  CPPUNIT_ASSERT(nor.toPacket()[0] == Value("new-override-redirect"));
  checkRoundTrip(NewTray{9, 24, 24, dictOf({{"title", Value("tray")}})});
  checkRoundTrip(RaiseWindow{7});
  checkRoundTrip(WindowMoveResize{7, 1, 2, 300, 200, 4});
  checkRoundTrip(WindowResized{7, 300, 200, 5});
  checkRoundTrip(WindowMetadata{7, dictOf({{"title", Value("new title")}})});
  checkRoundTrip(LostWindow{7});
  Draw draw{7,
            0,
            0,
            1920,
            1080,
            "rgb24",
            std::string(1920 * 1080 * 3 / 64, 'x'),
            1,
            5760,
            dictOf({{"rgb_format", Value("RGB")}, {"flush", Value(0)}})};
  checkRoundTrip(draw);
  checkRoundTrip(DamageSequence{1, 7, 1920, 1080, 757, ""});
  checkRoundTrip(MapWindow{7, 10, 20, 640, 480, dictOf({{"workspace", Value(0)}}), Value::Dict{}});
  checkRoundTrip(MapWindow{7, 10, 20, 640, 480, {}, std::nullopt});
  checkRoundTrip(UnmapWindow{7, true, dictOf({{"iconified", Value(true)}})});
  checkRoundTrip(UnmapWindow{7, std::nullopt, std::nullopt});
  ConfigureWindow cw{7,     1,
                     2,     3,
                     4,     dictOf({{"screen", Value(0)}}),
                     3,     dictOf({{"maximized", Value(false)}}),
                     false, ConfigureWindow::Pointer{7, 100, 200, {"shift"}}};
  checkRoundTrip(cw);
  cw.pointer.reset();
  checkRoundTrip(cw);
  checkRoundTrip(CloseWindow{7});
  checkRoundTrip(Focus{7, {"mod2"}});
  checkRoundTrip(KeyAction{7, "a", true, {"shift", "mod2"}, 97, "a", 38, 0});
  checkRoundTrip(ButtonAction{7, 1, true, 50, 60, {"mod2"}, {1}, {}});
  checkRoundTrip(PointerPosition{7, 50, 60, std::nullopt, {"mod2"}, {}, false});
  checkRoundTrip(PointerPosition{7, 50, 60, std::pair<int64_t, int64_t>{5, 6}, {}, {}, false});
  checkRoundTrip(PointerPosition{7, 50, 60, std::pair<int64_t, int64_t>{5, 6}, {}, {}, true});
  checkRoundTrip(
      Cursor{"png", 960, 540, 24, 24, 11, 12, 8, std::string(5000, 'c'), "xterm", 22, 128, 128});
  checkRoundTrip(Cursor{});
  checkRoundTrip(Bell{7, 0, 50, 440, 100, 0, 1, "bell"});
  checkRoundTrip(
      SoundData{"opus", std::string(6000, 's'), dictOf({{"sequence", Value(3)}}), std::nullopt});
  checkRoundTrip(
      SoundData{"opus", "", dictOf({{"start-of-stream", Value(true)}}), Value::List{Value("a")}});
  checkRoundTrip(InfoRequest{{"uuid1"}, {1, 2}, {"network", "display"}});
  checkRoundTrip(InfoResponse{dictOf({{"version", Value("0.1.0")}})});
  Packet gib = failurePacket(ProtocolFailure{ProtocolFailure::Kind::Gibberish, "bad magic"});
  CPPUNIT_ASSERT(gib == Packet({Value("gibberish"), Value("bad magic")}));
  CPPUNIT_ASSERT(failurePacket(ProtocolFailure{ProtocolFailure::Kind::Invalid, "x"})[0] ==
                 Value("invalid"));
  CPPUNIT_ASSERT(connectionLostPacket() == Packet{Value("connection-lost")});
}

void MessagesTest::testOptionalTrailingFields() {
  // Older/shorter forms Xpra peers send.
  CPPUNIT_ASSERT_EQUAL(
      int64_t{0}, WindowMoveResize::fromPacket({Value("window-move-resize"), Value(1), Value(0),
                                                Value(0), Value(5), Value(5)})
                      .resizeCounter);
  ConfigureWindow tray =
      ConfigureWindow::fromPacket({Value("configure-window"), Value(3), Value(1), Value(2),
                                   Value(24), Value(24), Value(Value::Dict{})});
  CPPUNIT_ASSERT(!tray.pointer && tray.resizeCounter == 0);
  ButtonAction trayButton =
      ButtonAction::fromPacket({Value("button-action"), Value(3), Value(1), Value(true),
                                Value(Value::List{Value(5), Value(6)}), Value(Value::List{})});
  CPPUNIT_ASSERT(trayButton.buttons.empty());
  CPPUNIT_ASSERT(InfoRequest::fromPacket({Value("info-request")}).categories.empty());
  UnmapWindow unmap = UnmapWindow::fromPacket({Value("unmap-window"), Value(3), Value(false)});
  CPPUNIT_ASSERT(unmap.iconified.has_value() && !*unmap.iconified && !unmap.state);
  // bencode peers send bools as ints: accepted.
  CPPUNIT_ASSERT(
      KeyAction::fromPacket({Value("key-action"), Value(1), Value("a"), Value(1),
                             Value(Value::List{}), Value(97), Value("a"), Value(38), Value(0)})
          .pressed);
}

void MessagesTest::testBadLayoutsNameTheField() {
  expectFieldError<Draw>(
      {Value("draw"), Value(Value::List{}), Value(0), Value(0), Value(1), Value(1), Value("png"),
       Value(""), Value(1), Value(0), Value(Value::Dict{})},
      "draw: field 'wid' (1): expected int, got list");
  expectFieldError<Draw>({Value("draw"), Value(1)}, "expected at least 9 arguments");
  expectFieldError<Draw>({Value("ping"), Value(1)}, "not a 'draw' packet");
  expectFieldError<PingEcho>(
      {Value("ping_echo"), Value(1), Value(2), Value("x"), Value(4), Value(5)},
      "field 'load5' (3)");
  expectFieldError<KeyAction>(
      {Value("key-action"), Value(1), Value("a"), Value(true), Value(Value::List{Value(3)}),
       Value(97), Value("a"), Value(38), Value(0)},
      "field 'modifiers' (4)");
  expectFieldError<ButtonAction>({Value("button-action"), Value(1), Value(1), Value(true),
                                  Value(Value::List{Value(5)}), Value(Value::List{})},
                                 "field 'pointer' (4)");
  expectFieldError<Cursor>({Value("cursor"), Value("png"), Value(1)},
                           "cursor: expected at least 9");
  expectFieldError<Hello>({Value("hello"), Value("caps")}, "field 'capabilities' (1)");
  expectFieldError<Hello>({}, "not a 'hello' packet");
}

void MessagesTest::testEveryMalformedFormIsRefused() {
  size_t checked = 0;
  for (const Sample& m : everyMessage()) {
    const std::string& type = m.type;
    CPPUNIT_ASSERT_MESSAGE(type, m.reparse(m.packet) == m.packet);
    // Every argument of a wrong type (a float fits none of them) is refused, and the error names
    // the packet, a field and the argument's index.
    for (size_t i = 1; i < m.packet.size(); ++i) {
      Packet bad = m.packet;
      bad[i] = Value(1.5);
      try {
        m.reparse(bad);
        CPPUNIT_ASSERT_MESSAGE(type + " accepted a float at " + std::to_string(i),
                               m.anyValue.count(i) == 1);
      } catch (const ProtocolError& e) {
        const std::string what = e.what();
        CPPUNIT_ASSERT_MESSAGE(what, m.anyValue.count(i) == 0);
        CPPUNIT_ASSERT_MESSAGE(what, startsWith(what, type + ": field '"));
        CPPUNIT_ASSERT_MESSAGE(what,
                               what.find("' (" + std::to_string(i) + "): ") != std::string::npos);
        ++checked;
      }
    }
    // Every shorter form either parses (optional trailing fields) or is refused by count.
    for (size_t n = 1; n < m.packet.size(); ++n) {
      Packet cut(m.packet.begin(), m.packet.begin() + static_cast<std::ptrdiff_t>(n));
      try {
        m.reparse(cut);
      } catch (const ProtocolError& e) {
        const std::string what = e.what();
        CPPUNIT_ASSERT_MESSAGE(what, startsWith(what, type + ": expected at least ") ||
                                         startsWith(what, type + ": field '"));
        ++checked;
      }
    }
    // Another packet's type, no type, or an empty packet.
    for (const Packet& wrong : {Packet{Value("nope")}, Packet{Value(1)}, Packet{}}) {
      try {
        m.reparse(wrong);
        CPPUNIT_FAIL(type + " accepted another packet");
      } catch (const ProtocolError& e) {
        CPPUNIT_ASSERT_MESSAGE(e.what(),
                               startsWith(e.what(), type + ": not a '" + type + "' packet"));
        ++checked;
      }
    }
  }
  CPPUNIT_ASSERT(checked > 300);
  // List items are checked too.
  expectFieldError<Focus>({Value("focus"), Value(1), Value(Value::List{Value(1)})},
                          "focus: field 'modifiers' (2): list item: expected bytes, got int");
  expectFieldError<InfoRequest>(
      {Value("info-request"), Value(Value::List{}), Value(Value::List{Value("x")})},
      "info-request: field 'wids' (2): list item: expected int, got bytes");
  expectFieldError<PointerPosition>(
      {Value("pointer-position"), Value(1), Value(Value::List{Value(1), Value("y")})},
      "pointer-position: field 'pointer' (2): expected [x, y, ...]");
  expectFieldError<ConfigureWindow>(
      {Value("configure-window"), Value(1), Value(0), Value(0), Value(1), Value(1),
       Value(Value::Dict{}), Value(0), Value(Value::Dict{}), Value(false), Value(1),
       Value(Value::List{Value(1)})},
      "configure-window: field 'pointer' (11): expected [x, y]");
}

void MessagesTest::testScrollDraw() {
  // Xpra 3.1.3 encode_scrolling: data is a list of (x, y, w, h, xdelta, ydelta), rowstride 0.
  Draw d{
      3, 0, 0, 640, 480, "scroll", "", 9, 0, {}, {{0, 32, 640, 448, 0, -32}, {0, 0, 10, 10, 5, 5}}};
  const Packet p = d.toPacket();
  CPPUNIT_ASSERT(p[7].isList());
  CPPUNIT_ASSERT_EQUAL(size_t(2), p[7].asList().size());
  CPPUNIT_ASSERT(p[7].asList()[0].isList());
  CPPUNIT_ASSERT_EQUAL(int64_t(-32), p[7].asList()[0].asList()[5].asInt());
  // Through a real record (rencode), as a stock client receives it.
  RecordWriter writer;
  RecordReader reader;
  std::vector<Packet> got;
  CPPUNIT_ASSERT(!reader.feed(writer.write(p), [&](Packet&& q) { got.push_back(std::move(q)); }));
  CPPUNIT_ASSERT_EQUAL(size_t(1), got.size());
  CPPUNIT_ASSERT(Draw::fromPacket(got[0]) == d);
  // Malformed scroll lists are refused with a reason.
  auto bad = [&](Value data, const std::string& fragment) {
    Packet q = p;
    q[7] = std::move(data);
    expectFieldError<Draw>(q, fragment);
  };
  bad(Value("bytes"), "field 'data' (7)");
  bad(Value(Value::List{Value(1)}), "not [x, y, w, h, dx, dy]");
  bad(Value(Value::List{Value(Value::List{Value(1), Value(2), Value(3), Value(4), Value(5)})}),
      "not [x, y, w, h, dx, dy]");
  bad(Value(Value::List{
          Value(Value::List{Value(1), Value(2), Value(3), Value(4), Value(5), Value("x")})}),
      "not an int");
  bad(Value(Value::List(Draw::kMaxScrolls + 1, Value(Value::List{Value(0), Value(0), Value(1),
                                                                 Value(1), Value(0), Value(1)}))),
      "at most");
}

void MessagesTest::testBellClassIsAnInt() {
  // Xpra 3.1.3 forwards XkbBellNotifyEvent's ints and its client passes bell_class to
  // XkbDeviceBell: the empty string an earlier rdkernel server sent there is refused.
  Bell bell = Bell::fromPacket({Value("bell"), Value(3), Value(0), Value(50), Value(440),
                                Value(100), Value(0), Value(0), Value("")});
  CPPUNIT_ASSERT_EQUAL(int64_t{3}, bell.wid);
  CPPUNIT_ASSERT_EQUAL(int64_t{0}, bell.bellClass);
  CPPUNIT_ASSERT(bell.bellName.empty());
  expectFieldError<Bell>({Value("bell"), Value(3), Value(0), Value(50), Value(440), Value(100),
                          Value(""), Value(0), Value("")},
                         "bell: field 'bell_class' (6): expected int, got bytes");
  Packet p = Bell{3, 0, 50, 440, 100, 0, 0, ""}.toPacket();
  CPPUNIT_ASSERT(p[6] == Value(0) && p[7] == Value(0) && p[8] == Value(""));
}

void MessagesTest::testAddedMessages() {
  checkRoundTrip(ConfigureOverrideRedirect{7, -5, 10, 200, 100});
  checkRoundTrip(WindowIcon{7, 64, 64, "png", std::string(9000, 'i')});
  checkRoundTrip(WindowIcon{7, 0, 0, "default", ""});
  CPPUNIT_ASSERT(throughWire(WindowIcon{7, 64, 64, "png", std::string(9000, 'i')}.toPacket())[5] ==
                 Value(std::string(9000, 'i')));
  checkRoundTrip(BufferRefresh{-1, 0, 100, std::nullopt});
  checkRoundTrip(BufferRefresh{
      7, 0, 50, BufferRefresh::Extra{dictOf({{"refresh-now", Value(true)}}), Value::Dict{}}});
  CPPUNIT_ASSERT_EQUAL(size_t{4}, (BufferRefresh{7, 0, 100, std::nullopt}.toPacket().size()));
  CPPUNIT_ASSERT_EQUAL(size_t{6},
                       (BufferRefresh{7, 0, 100, BufferRefresh::Extra{}}.toPacket().size()));
  checkRoundTrip(SettingChange{"xdg-menu", Value(dictOf({{"a", Value("b")}}))});
  checkRoundTrip(SettingChange{"bell", Value(true)});
  checkRoundTrip(ServerEvent{"connection-established", {Value("127.0.0.1"), Value(1)}});
  checkRoundTrip(ServerEvent{"x", {}});
  checkRoundTrip(SoundControl{"start", {Value("opus")}});
  checkRoundTrip(SoundControl{"new-sequence", {Value(3)}});
  // 3.1.3 layouts as its sources build them.
  WindowIcon icon = WindowIcon::fromPacket(
      {Value("window-icon"), Value(2), Value(0), Value(0), Value("default"), Value("")});
  CPPUNIT_ASSERT_EQUAL(std::string("default"), icon.encoding);
  BufferRefresh refresh = BufferRefresh::fromPacket(
      {Value("buffer-refresh"), Value(-1), Value(0), Value(100),
       Value(dictOf({{"refresh-now", Value(true)}, {"batch", Value(Value::Dict{})}})),
       Value(Value::Dict{})});
  CPPUNIT_ASSERT_EQUAL(int64_t{-1}, refresh.wid);
  CPPUNIT_ASSERT(refresh.extra && refresh.extra->options.size() == 2);
  CPPUNIT_ASSERT(!BufferRefresh::fromPacket({Value("buffer-refresh"), Value(1), Value(0),
                                             Value(100), Value(Value::Dict{})})
                      .extra);
  SettingChange change =
      SettingChange::fromPacket({Value("setting-change"), Value("bell"), Value(false)});
  CPPUNIT_ASSERT(change.value == Value(false));
  expectFieldError<SettingChange>({Value("setting-change"), Value("bell")},
                                  "setting-change: expected at least 2 arguments");
  expectFieldError<ServerEvent>({Value("server-event")}, "server-event: expected at least 1");
  expectFieldError<SoundControl>({Value("sound-control"), Value(1)},
                                 "sound-control: field 'command' (1): expected bytes, got int");
}

void MessagesTest::testPingStats() {
  PingStats stats(20);
  CPPUNIT_ASSERT(!stats.averageMs());
  for (int i = 1; i <= 20; ++i)
    stats.addSample(i);
  CPPUNIT_ASSERT_EQUAL(1.0, *stats.minMs());
  CPPUNIT_ASSERT_EQUAL(10.5, *stats.averageMs());
  CPPUNIT_ASSERT_EQUAL(19.0, *stats.p95Ms());
  // The window drops the oldest sample.
  auto rtt = stats.recordEcho(PingEcho{1000, 3731, 1895, 782, 4, ""}, 1100);
  CPPUNIT_ASSERT_EQUAL(100.0, *rtt);
  CPPUNIT_ASSERT_EQUAL(2.0, *stats.minMs());
  CPPUNIT_ASSERT_EQUAL(100.0, *stats.lastMs());
  CPPUNIT_ASSERT_EQUAL(20.0, *stats.p95Ms());  // nearest rank 19 of 20
  stats.addSample(200);
  CPPUNIT_ASSERT_EQUAL(100.0, *stats.p95Ms());
  CPPUNIT_ASSERT_EQUAL(size_t{20}, stats.count());
  CPPUNIT_ASSERT_EQUAL(3.731, stats.peerLoad()->load1);
  CPPUNIT_ASSERT_EQUAL(int64_t{4}, stats.peerLatencyMs());
  CPPUNIT_ASSERT(!stats.recordEcho(PingEcho{5000, 0, 0, 0, -1, ""}, 4000));  // echo from the future
  CPPUNIT_ASSERT_EQUAL(uint64_t{22}, stats.totalSamples());
}

void MessagesTest::testCapabilities() {
  Capabilities flat(
      dictOf({{"version", Value("3.1.3")},
              {"encodings", Value(Value::List{Value("rgb24"), Value("png")})},
              {"encodings.core", Value(Value::List{Value("rgb24")})},
              {"compression_level", Value(1)},
              {"rencode", Value(true)},
              {"compressors", Value("lz4,zlib")},
              {"aliases", Value(dictOf({{"draw", Value(35)}, {"hello", Value(1)}}))}}));
  CPPUNIT_ASSERT_EQUAL(std::string("3.1.3"), *flat.getString("version"));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, flat.getStringList("encodings.core").size());
  CPPUNIT_ASSERT_EQUAL(size_t{2}, flat.getStringList("compressors").size());
  CPPUNIT_ASSERT(*flat.getBool("rencode"));
  CPPUNIT_ASSERT(!flat.getInt("version"));
  CPPUNIT_ASSERT(!flat.get("missing"));
  auto aliases = flat.aliases();
  CPPUNIT_ASSERT_EQUAL(std::string("draw"), aliases.at(35));
  CPPUNIT_ASSERT_EQUAL(std::string("hello"), aliases.at(1));

  Capabilities nested(dictOf(
      {{"encodings", Value(dictOf({{"", Value(Value::List{Value("png")})},
                                   {"core", Value(Value::List{Value("png"), Value("jpeg")})}}))},
       {"encoding", Value(dictOf({{"rgb_formats", Value(Value::List{Value("BGRX")})}}))},
       {"display", Value(dictOf({{"size", Value(dictOf({{"w", Value(1920)}}))}}))}}));
  CPPUNIT_ASSERT_EQUAL(size_t{2}, nested.getStringList("encodings.core").size());
  CPPUNIT_ASSERT_EQUAL(std::string("png"), nested.getStringList("encodings").at(0));
  CPPUNIT_ASSERT_EQUAL(std::string("BGRX"), nested.getStringList("encoding.rgb_formats").at(0));
  CPPUNIT_ASSERT_EQUAL(int64_t{1920}, *nested.getInt("display.size.w"));
}

void MessagesTest::testNegotiation() {
  Capabilities client(dictOf({{"rencode", Value(true)},
                              {"compressors", Value(Value::List{Value("zlib"), Value("lz4")})},
                              {"compression_level", Value(3)}}));
  CPPUNIT_ASSERT(chooseEncoding(client) == PacketEncoding::Rencode);
  CPPUNIT_ASSERT(chooseCompression(client) == std::pair(Compression::Lz4, 3));
  Capabilities old(dictOf({{"zlib", Value(true)}}));  // no rencode: bencode, as 3.1.3 does
  CPPUNIT_ASSERT(chooseEncoding(old) == PacketEncoding::Bencode);
  CPPUNIT_ASSERT(chooseCompression(old) == std::pair(Compression::Zlib, 1));
  Capabilities off(dictOf({{"lz4", Value(true)}, {"compression_level", Value(0)}}));
  CPPUNIT_ASSERT(chooseCompression(off).first == Compression::None);
  Capabilities none(dictOf({{"compressors", Value(Value::List{Value("brotli")})}}));
  CPPUNIT_ASSERT(chooseCompression(none).first == Compression::None);
}
