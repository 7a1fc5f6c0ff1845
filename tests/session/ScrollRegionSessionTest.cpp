#include "ScrollRegionSessionTest.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <thread>

// The session headers come first: Xlib defines macros (None, Bool) that clash with their names.
#include "raw_peer.hpp"
#include "session_fixture.hpp"
// clang-format off
#include "../platforms/x_test_client.hpp"
#include "../platforms/xvfb_server.h"
// clang-format on

CPPUNIT_TEST_SUITE_REGISTRATION(ScrollRegionSessionTest);

namespace {

// Puts |w| x |h| pixels (0xRRGGBB) at |x|,|y| of the root.
void putPixels(rdk::test::XTestClient& x, int px, int py, unsigned w, unsigned h,
               const std::vector<uint32_t>& rgb) {
  Display* d = x.display();
  auto* data = static_cast<char*>(std::malloc(size_t{w} * h * 4));
  std::memcpy(data, rgb.data(), size_t{w} * h * 4);
  XImage* img =
      XCreateImage(d, DefaultVisual(d, DefaultScreen(d)), 24, ZPixmap, 0, data, w, h, 32, 0);
  GC gc = XCreateGC(d, x.root(), 0, nullptr);
  XPutImage(d, x.root(), gc, img, 0, 0, px, py, w, h);
  XFreeGC(d, gc);
  XDestroyImage(img);  // frees data
  XSync(d, False);
}

// One 16-px line of "text": ink pixels that differ from row to row and line to line, blank rows
// above and below like a terminal font.
std::vector<uint32_t> textLine(unsigned w, unsigned lineNumber) {
  std::vector<uint32_t> px(size_t{w} * 16, 0xf0f0f0);
  std::mt19937 rng(lineNumber * 2654435761u + 7);
  for (unsigned y = 3; y < 13; ++y) {
    for (unsigned x = 0; x < w; ++x) {
      if (x % 8 < 6 && rng() % 3 == 0)
        px[size_t{y} * w + x] = 0x202020 + (lineNumber % 7) * 0x100000;
    }
  }
  return px;
}

void copyArea(rdk::test::XTestClient& x, int sx, int sy, unsigned w, unsigned h, int dx, int dy) {
  GC gc = XCreateGC(x.display(), x.root(), 0, nullptr);
  XCopyArea(x.display(), x.root(), x.root(), gc, sx, sy, w, h, dx, dy);
  XFreeGC(x.display(), gc);
  XSync(x.display(), False);
}

// The server's info (what `rdkernel info` prints), asked on a connection of its own.
rdk::protocol::Value serverInfo(const std::string& url) {
  using rdk::protocol::Value;
  rdk::test::RawPeer peer(url);
  Value caps(Value::Dict{});
  caps.set("version", Value("3.1.3"));
  caps.set("info_request", Value(true));
  caps.set("request", Value("info"));
  caps.set("rencode", Value(true));  // the info holds floats, which bencode cannot carry
  peer.sendPacket({Value("hello"), caps});
  std::optional<rdk::protocol::Packet> reply;
  while (auto p = peer.receive(10000)) {
    if (std::getenv("RDK_TEST_VERBOSE"))
      std::printf("\n  info reply packet: %s", Value(*p).toJson().c_str());
    if ((*p)[0].asBytes() == "hello") {
      reply = std::move(p);
      break;
    }
  }
  CPPUNIT_ASSERT_MESSAGE("no info reply", reply && reply->size() > 1);
  return (*reply)[1];
}

// The first value of |info| whose key ends with |suffix|.
const rdk::protocol::Value* findSuffix(const rdk::protocol::Value& info,
                                       const std::string& suffix) {
  for (const auto& [key, value] : info.asDict()) {
    const std::string k = key.asBytes();
    if (k.size() >= suffix.size() &&
        k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0)
      return &value;
  }
  return nullptr;
}

struct ClientRun {
  rdk::session::ClientSummary summary;
  std::map<uint64_t, rdk::session::ClientWindow> windows;
  std::thread thread;
  ClientRun(rdk::config::Config& config, const std::string& url, double seconds)
      : thread([this, &config, url, seconds] {
          summary = rdk::test::runClient(config, url, seconds, false, "", &windows);
        }) {}
  void join() {
    if (thread.joinable())
      thread.join();
  }
  ~ClientRun() { join(); }  // an assertion that fails while the client runs must not terminate
};

std::string mismatch(const std::vector<uint8_t>& want, const std::vector<uint8_t>& got,
                     unsigned width) {
  if (want.size() != got.size())
    return "sizes differ";
  size_t diffs = 0, first = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] != got[i] && diffs++ == 0)
      first = i / 4;
  }
  if (diffs == 0)
    return "";
  return std::to_string(diffs) + " bytes differ, first at " + std::to_string(first % width) + "," +
         std::to_string(first / width);
}

}  // namespace

void ScrollRegionSessionTest::testScrollingTextIsPixelExact() {
  constexpr unsigned kW = 480, kH = 360;
  const int ax = 16, ay = 16;
  const unsigned aw = 448, ah = 320;  // the "terminal": 20 lines of 16 px
  rdk::test::XvfbServer xvfb(kW, kH);
  rdk::test::XTestClient x(xvfb.name());
  x.fill(0, 0, kW, kH, 0x304050);
  for (unsigned line = 0; line < ah / 16; ++line)
    putPixels(x, ax, ay + int(line) * 16, aw, 16, textLine(aw, line));

  auto config = rdk::test::testConfig();
  config.set("server.platform", "x11", "test");
  config.set("server.display", xvfb.name(), "test");
  rdk::test::RunningServer server(config, "tcp://127.0.0.1:0");
  ClientRun client(config, server.url(), 6.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // first paint, scroll reference
  // 20 scrolls of one line, as xterm does: copy the text up, draw the new bottom line.
  for (unsigned step = 0; step < 20; ++step) {
    copyArea(x, ax, ay + 16, aw, ah - 16, ax, ay);
    putPixels(x, ax, ay + int(ah) - 16, aw, 16, textLine(aw, ah / 16 + step));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  client.join();
  CPPUNIT_ASSERT_MESSAGE(client.summary.endReason, client.summary.handshakeOk);
  CPPUNIT_ASSERT_EQUAL(size_t{1}, client.windows.size());
  const auto& shadow = client.windows.begin()->second;
  const auto screen = rdk::test::withoutPadding(x.pixels(0, 0, kW, kH));
  const std::string diff = mismatch(screen, rdk::test::withoutPadding(shadow.pixels), kW);
  CPPUNIT_ASSERT_MESSAGE("client frame after scrolling: " + diff, diff.empty());
  const auto& per = client.summary.drawsPerEncoding;
  const uint64_t scrolls = per.count("scroll") ? per.at("scroll") : 0;
  if (std::getenv("RDK_TEST_VERBOSE")) {
    for (const auto& [coding, n] : per)
      std::printf("\n  scrolling text: %s %llu draws\n", coding.c_str(), (unsigned long long)n);
  }
  CPPUNIT_ASSERT_MESSAGE("scroll draws: " + std::to_string(scrolls), scrolls >= 5);
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, client.summary.decodeErrors);
}

void ScrollRegionSessionTest::testVideoRegionThenLosslessRefresh() {
  constexpr unsigned kW = 640, kH = 480;
  rdk::test::XvfbServer xvfb(kW, kH);
  rdk::test::XTestClient x(xvfb.name());
  // A static page: colour bars and some text.
  const uint32_t bars[4] = {0xc04040, 0x40c040, 0x4040c0, 0xe0e0e0};
  for (int b = 0; b < 4; ++b)
    x.fill(b * 160, 0, 160, kH, bars[b]);
  for (unsigned line = 0; line < 6; ++line)
    putPixels(x, 20, 20 + int(line) * 16, 600, 16, textLine(600, line));
  // The "video" box: a textured 64x64 square bouncing inside 320x240 at 200,160.
  const int bx = 200, by = 160;
  const unsigned bw = 320, bh = 240, side = 64;
  std::vector<uint32_t> texture(side * side);
  std::mt19937 rng(5);
  for (auto& p : texture)
    p = rng() & 0xffffff;

  auto config = rdk::test::testConfig();
  config.set("server.platform", "x11", "test");
  config.set("server.display", xvfb.name(), "test");
  rdk::test::RunningServer server(config, "tcp://127.0.0.1:0");
  ClientRun client(config, server.url(), 6.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  x.fill(bx, by, bw, bh, 0x101010);
  int px = bx, py = by, vx = 19, vy = 13;
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + std::chrono::milliseconds(3000);
  std::optional<rdk::protocol::Value> info;
  for (unsigned frame = 0; std::chrono::steady_clock::now() < until; ++frame) {
    if (!info && std::chrono::steady_clock::now() > start + std::chrono::milliseconds(2000))
      info = serverInfo(server.url());
    x.fill(px, py, side, side, 0x101010);
    px += vx;
    py += vy;
    if (px < bx || px + int(side) > bx + int(bw)) {
      vx = -vx;
      px = std::clamp(px, bx, bx + int(bw - side));
    }
    if (py < by || py + int(side) > by + int(bh)) {
      vy = -vy;
      py = std::clamp(py, by, by + int(bh - side));
    }
    texture[frame % texture.size()] ^= 0xffffff;  // the content changes too, like a video
    putPixels(x, px, py, side, side, texture);
    std::this_thread::sleep_for(std::chrono::milliseconds(33));
  }
  client.join();  // motion stopped ~2 s before the client ends: region ended, refresh sent
  // `info` during the motion: the window's video region (the box, within 16 px) and why.
  CPPUNIT_ASSERT(info);
  const rdk::protocol::Value* region = findSuffix(*info, ".window.1.video-region");
  CPPUNIT_ASSERT_MESSAGE(info->toJson(),
                         region && region->isList() && region->asList().size() == 4);
  const auto& r = region->asList();
  CPPUNIT_ASSERT(std::llabs(r[0].asInt() - bx) <= 16 && std::llabs(r[1].asInt() - by) <= 16);
  CPPUNIT_ASSERT(std::llabs(r[2].asInt() - int64_t{bw}) <= 16 &&
                 std::llabs(r[3].asInt() - int64_t{bh}) <= 16);
  const rdk::protocol::Value* why = findSuffix(*info, ".window.1.video-region.why");
  CPPUNIT_ASSERT(why && why->asBytes().find("sustained motion") != std::string::npos);
  CPPUNIT_ASSERT(findSuffix(*info, ".window.1.encoding.why"));
  if (std::getenv("RDK_TEST_VERBOSE")) {
    for (const auto& [key, value] : info->asDict()) {
      if (key.asBytes().find(".window.") != std::string::npos)
        std::printf("\n  info %s = %s", key.asBytes().c_str(), value.toJson().c_str());
    }
  }
  CPPUNIT_ASSERT_MESSAGE(client.summary.endReason, client.summary.handshakeOk);
  const auto& shadow = client.windows.begin()->second;
  const auto screen = rdk::test::withoutPadding(x.pixels(0, 0, kW, kH));
  const std::string diff = mismatch(screen, rdk::test::withoutPadding(shadow.pixels), kW);
  CPPUNIT_ASSERT_MESSAGE("client frame after the lossless refresh: " + diff, diff.empty());
  // Video went to the moving area only: its draws are far smaller than the screen.
  uint64_t videoDraws = 0, videoPixels = 0;
  for (const auto& [coding, n] : client.summary.drawsPerEncoding) {
    if (coding == "vp8" || coding == "vp9" || coding == "h264") {
      videoDraws += n;
      videoPixels += client.summary.pixelsPerEncoding.at(coding);
    }
  }
  CPPUNIT_ASSERT_MESSAGE("no video draws", videoDraws >= 10);
  const double meanVideoPixels = double(videoPixels) / double(videoDraws);
  if (std::getenv("RDK_TEST_VERBOSE")) {
    for (const auto& [coding, n] : client.summary.drawsPerEncoding)
      std::printf("\n  video region: %s %llu draws, %llu px\n", coding.c_str(),
                  (unsigned long long)n,
                  (unsigned long long)client.summary.pixelsPerEncoding.at(coding));
  }
  CPPUNIT_ASSERT_MESSAGE("mean video draw " + std::to_string(meanVideoPixels) + " px",
                         meanVideoPixels <= 1.25 * bw * bh && meanVideoPixels >= 0.5 * bw * bh);
}
