#include "DrawHandlerTest.h"

#include "client_test_support.hpp"
#include "rdk/protocol/messages/all.h"

CPPUNIT_TEST_SUITE_REGISTRATION(DrawHandlerTest);

using namespace rdk::protocol;
using rdk::session::DrawHandler;
using rdk::session::WindowMirror;
using rdk::test::FakeClock;
using rdk::test::FakeDecoderSource;
using rdk::test::protocolErrorOf;
using rdk::test::RecordingDisplay;
using rdk::test::RecordingSink;

namespace {

struct Fixture {
  RecordingSink sink;
  FakeClock clock;
  FakeDecoderSource decoders;
  RecordingDisplay display;
  WindowMirror mirror{sink, &display};
  DrawHandler draws{mirror, sink, clock, decoders, &display};
  MessageDispatcher dispatcher;
  Fixture() {
    mirror.registerWith(dispatcher);
    draws.registerWith(dispatcher);
    dispatcher.dispatch(NewWindow{1, 100, 100, 8, 8, {}, {}}.toPacket());
    sink.sent.clear();  // the map-window
  }
  void receive(const Draw& d) { CPPUNIT_ASSERT(dispatcher.dispatch(d.toPacket())); }
  DamageSequence lastAck() const {
    auto acks = sink.of<DamageSequence>();
    CPPUNIT_ASSERT(!acks.empty());
    return acks.back();
  }
};

Draw draw(int64_t sequence, std::string coding, std::string data, int64_t x = 0, int64_t y = 0,
          int64_t w = 4, int64_t h = 4, Value::Dict options = {}) {
  return Draw{1, x, y, w, h, std::move(coding), std::move(data), sequence, 0, std::move(options)};
}

Draw videoFrame(int64_t sequence, int64_t frame, bool rdkKey = false, int64_t w = 8,
                int64_t h = 8) {
  Value::Dict options{{Value("frame"), Value(frame)}};
  if (rdkKey)
    options.emplace_back(Value("rdk.keyframe"), Value(true));
  return Draw{1, 0, 0, w, h, "vp8", "vp8!", sequence, 0, std::move(options)};
}

}  // namespace

void DrawHandlerTest::testDrawIsPaintedAndAcknowledged() {
  Fixture f;
  f.clock.stepUs = 700;  // the decode takes 700 us
  Draw d = draw(7, "png", std::string("\x01\x02\x03\x00", 4), 2, 3, 4, 4);
  d.rowstride = 16;
  f.receive(d);
  // The exact ack a stock Xpra server expects: [seq, wid, w, h, decode_us, ""].
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.sink.sent.size());
  CPPUNIT_ASSERT(f.sink.sent[0].packet == Packet({Value("damage-sequence"), Value(7), Value(1),
                                                  Value(4), Value(4), Value(700), Value("")}));
  const auto& window = *f.mirror.find(1);
  auto px = [&](int x, int y) { return window.pixels[(size_t(y) * 8 + size_t(x)) * 4]; };
  CPPUNIT_ASSERT_EQUAL(uint8_t{1}, px(2, 3));
  CPPUNIT_ASSERT_EQUAL(uint8_t{1}, px(5, 6));
  CPPUNIT_ASSERT_EQUAL(uint8_t{0}, px(1, 3));
  CPPUNIT_ASSERT_EQUAL(uint8_t{0}, px(6, 6));
  // The rgb decoders get the row stride with the options.
  CPPUNIT_ASSERT(f.decoders.options.back().find("\"rowstride\"") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.display.paints.size());
  CPPUNIT_ASSERT_EQUAL(2, f.display.paints[0].rect.x);
  const auto& stats = f.draws.stats();
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, stats.draws);
  CPPUNIT_ASSERT_EQUAL(uint64_t{4}, stats.drawBytes);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, stats.drawsPerEncoding.at("png"));
  // One decoder per encoding, kept for the next draw.
  f.receive(draw(8, "png", std::string("\x09\x09\x09\x00", 4), -2, -2, 4, 4));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.decoders.created.size());
  CPPUNIT_ASSERT_EQUAL(uint8_t{9}, px(0, 0));  // clipped to the window
  CPPUNIT_ASSERT_EQUAL(uint8_t{9}, px(1, 1));
  CPPUNIT_ASSERT_EQUAL(uint8_t{0}, px(2, 2));
  CPPUNIT_ASSERT_EQUAL(uint8_t{1}, px(2, 3));
  CPPUNIT_ASSERT(f.decoders.options.back().find("rowstride") == std::string::npos);
  // An instant decode still reports 1 us: 0 would mean "painting skipped".
  f.clock.stepUs = 0;
  f.receive(draw(9, "png", std::string("\x05\x05\x05\x00", 4)));
  CPPUNIT_ASSERT_EQUAL(int64_t{1}, f.lastAck().decodeTimeUs);
}

void DrawHandlerTest::testSkippedDraws() {
  Fixture f;
  // No such window, an empty or a huge area: acknowledged with 0 (painting skipped).
  Draw other = draw(1, "png", "abcd");
  other.wid = 9;
  f.receive(other);
  f.receive(draw(2, "png", "abcd", 0, 0, 0, 4));
  f.receive(draw(3, "png", "abcd", 0, 0, 4, -1));
  f.receive(draw(4, "png", "abcd", 0, 0, 16385, 4));
  auto acks = f.sink.of<DamageSequence>();
  CPPUNIT_ASSERT_EQUAL(size_t{4}, acks.size());
  CPPUNIT_ASSERT((acks[0] == DamageSequence{1, 9, 4, 4, 0, ""}));
  for (const auto& ack : acks)
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, ack.decodeTimeUs);
  CPPUNIT_ASSERT_EQUAL(int64_t{16385}, acks[3].width);
  CPPUNIT_ASSERT(f.decoders.created.empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, f.draws.stats().draws);
}

void DrawHandlerTest::testDecodeFailures() {
  Fixture f;
  f.receive(draw(1, "unknown", "abcd"));
  CPPUNIT_ASSERT(
      (f.lastAck() ==
       DamageSequence{1, 1, 4, 4, -1, "no decoder for unknown: no plugin decodes 'unknown'"}));
  f.receive(draw(2, "png", "fail"));
  CPPUNIT_ASSERT((f.lastAck() == DamageSequence{2, 1, 4, 4, -1, "corrupt picture"}));
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, f.draws.stats().decodeErrors);
  // A failed decoder is dropped: the next draw gets a fresh one.
  f.receive(draw(3, "png", "abcd"));
  CPPUNIT_ASSERT(f.lastAck().decodeTimeUs > 0);
  CPPUNIT_ASSERT_EQUAL(size_t{3}, f.decoders.created.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.draws.stats().draws);
}

void DrawHandlerTest::testVideoGapsAskForAKeyFrame() {
  Fixture f;
  f.receive(videoFrame(1, 0));
  f.receive(videoFrame(2, 1));
  f.receive(videoFrame(3, 2));
  CPPUNIT_ASSERT_EQUAL(uint64_t{3}, f.draws.stats().draws);
  // Frame 3 was lost: 4 would decode against the wrong reference.
  f.receive(videoFrame(4, 4));
  CPPUNIT_ASSERT((f.lastAck() == DamageSequence{4, 1, 8, 8, -1, "video frame gap"}));
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.draws.stats().videoGaps);
  // Until a key frame comes, every frame is refused the same way.
  f.receive(videoFrame(5, 5));
  CPPUNIT_ASSERT((f.lastAck() == DamageSequence{5, 1, 8, 8, -1, "waiting for a key frame"}));
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.draws.stats().videoGaps);
  CPPUNIT_ASSERT_EQUAL(uint64_t{3}, f.draws.stats().draws);
  // rdkernel's key frame mid-stream (frame number not reset) restarts decoding.
  f.receive(videoFrame(6, 6, /*rdkKey=*/true));
  CPPUNIT_ASSERT(f.lastAck().decodeTimeUs > 0);
  f.receive(videoFrame(7, 7));
  CPPUNIT_ASSERT(f.lastAck().decodeTimeUs > 0);
  // Xpra's: the encoder restarts at frame 0.
  f.receive(videoFrame(8, 9));
  CPPUNIT_ASSERT_EQUAL(int64_t{-1}, f.lastAck().decodeTimeUs);
  f.receive(videoFrame(9, 0));
  f.receive(videoFrame(10, 1));
  CPPUNIT_ASSERT(f.lastAck().decodeTimeUs > 0);
  CPPUNIT_ASSERT_EQUAL(uint64_t{7}, f.draws.stats().draws);
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, f.draws.stats().videoGaps);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, f.draws.stats().decodeErrors);
  CPPUNIT_ASSERT_EQUAL(size_t{10}, f.sink.of<DamageSequence>().size());  // every draw acked
}

void DrawHandlerTest::testVideoDecoderFollowsTheFrameSize() {
  Fixture f;
  f.receive(videoFrame(1, 0, false, 8, 8));
  f.receive(videoFrame(2, 1, false, 8, 8));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.decoders.created.size());
  f.receive(videoFrame(3, 0, false, 6, 6));
  CPPUNIT_ASSERT((f.decoders.created == std::vector<std::string>{"vp8 8x8", "vp8 6x6"}));
  // A still picture's decoder is not sized: kept whatever the area.
  f.receive(draw(4, "png", "abcd", 0, 0, 2, 2));
  f.receive(draw(5, "png", "abcd", 0, 0, 3, 3));
  CPPUNIT_ASSERT_EQUAL(size_t{3}, f.decoders.created.size());
  // A resized window drops its (sized) decoders.
  f.dispatcher.dispatch(WindowResized{1, 10, 10, 1}.toPacket());
  f.receive(videoFrame(6, 0, false, 10, 10));
  CPPUNIT_ASSERT_EQUAL(std::string("vp8 10x10"), f.decoders.created.back());
}

void DrawHandlerTest::testLatencyFromCaptureStamps() {
  Fixture f;
  f.clock.us = 50'000'000;
  f.receive(draw(1, "png", "abcd", 0, 0, 4, 4,
                 Value::Dict{{Value("rdk.capture-us"), Value(int64_t{49'988'000})}}));
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.draws.stats().latency.count());
  CPPUNIT_ASSERT_EQUAL(12.0, f.draws.stats().latency.overallPercentile(50));
  // A stamp from the future (another host's clock) is no latency.
  f.receive(draw(2, "png", "abcd", 0, 0, 4, 4,
                 Value::Dict{{Value("rdk.capture-us"), Value(int64_t{60'000'000})}}));
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.draws.stats().latency.count());
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, f.draws.stats().draws);
}

void DrawHandlerTest::testMalformedDraw() {
  Fixture f;
  CPPUNIT_ASSERT_EQUAL(
      std::string("draw: field 'packet_sequence' (8): expected int, got bytes"),
      protocolErrorOf([&] {
        f.dispatcher.dispatch({Value("draw"), Value(1), Value(0), Value(0), Value(4), Value(4),
                               Value("png"), Value("abcd"), Value("7"), Value(0)});
      }));
  CPPUNIT_ASSERT_EQUAL(
      std::string("draw: field 'options' (10): expected dict, got int"), protocolErrorOf([&] {
        f.dispatcher.dispatch({Value("draw"), Value(1), Value(0), Value(0), Value(4), Value(4),
                               Value("png"), Value("abcd"), Value(7), Value(0), Value(3)});
      }));
  CPPUNIT_ASSERT(f.sink.sent.empty());  // nothing acked, nothing decoded
  CPPUNIT_ASSERT(f.decoders.created.empty());
}

void DrawHandlerTest::testScrollDrawCopiesRows() {
  Fixture f;
  auto& window = *f.mirror.find(1);
  // Row y of the 8x8 window holds the value y + 1 in every byte.
  for (size_t y = 0; y < 8; ++y)
    std::fill_n(window.pixels.begin() + long(y * 32), 32, uint8_t(y + 1));
  // Xpra 3.1.3: [x, y, w, h, xdelta, ydelta], every move reads the picture before the draw.
  Draw up{1, 0, 0, 8, 8, "scroll", "", 5, 0, {}, {{0, 2, 8, 6, 0, -2}, {0, 0, 8, 2, 0, 6}}};
  f.receive(up);
  const DamageSequence ack = f.lastAck();
  CPPUNIT_ASSERT_EQUAL(int64_t{5}, ack.packetSequence);
  CPPUNIT_ASSERT(ack.decodeTimeUs > 0);
  const uint8_t expected[8] = {3, 4, 5, 6, 7, 8, 1, 2};  // rotated: both moves read the old rows
  for (size_t y = 0; y < 8; ++y)
    CPPUNIT_ASSERT_EQUAL(expected[y], window.pixels[y * 32 + 5]);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, f.draws.stats().drawsPerEncoding.at("scroll"));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, f.display.paints.size());  // the destinations' bounding box
  CPPUNIT_ASSERT_EQUAL(0, f.display.paints[0].rect.y);
  CPPUNIT_ASSERT_EQUAL(8u, f.display.paints[0].rect.h);

  // A move outside the window is refused (decode error, nothing changed), never a crash.
  const std::vector<uint8_t> before = window.pixels;
  for (const DrawScroll& bad :
       {DrawScroll{0, 4, 8, 6, 0, -2}, DrawScroll{0, 0, 8, 4, 0, 6}, DrawScroll{-1, 0, 4, 4, 0, 1},
        DrawScroll{0, 0, 0, 4, 0, 1}, DrawScroll{0, 0, 4, 4, INT64_MAX, 1}}) {
    f.receive(Draw{1, 0, 0, 8, 8, "scroll", "", 6, 0, {}, {{0, 2, 8, 2, 0, -1}, bad}});
    CPPUNIT_ASSERT_EQUAL(int64_t{-1}, f.lastAck().decodeTimeUs);
    CPPUNIT_ASSERT(f.lastAck().message.find("outside the window") != std::string::npos);
    CPPUNIT_ASSERT(window.pixels == before);
  }
}
