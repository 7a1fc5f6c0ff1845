#include "WsCodecTest.h"

#include <algorithm>
#include <cstring>

#include "channel.h"
#include "rdk/proxy/ws_codec.h"

CPPUNIT_TEST_SUITE_REGISTRATION(WsCodecTest);

using namespace rdk::proxy::ws;

void WsCodecTest::testFramesRoundTrip() {
  // RFC 6455 section 1.3's example.
  CPPUNIT_ASSERT_EQUAL(std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
                       acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
  CPPUNIT_ASSERT_EQUAL(size_t(24), randomKey().size());
  for (size_t size : {size_t(0), size_t(1), size_t(125), size_t(126), size_t(65535), size_t(65536),
                      size_t(200000)}) {
    std::string payload(size, '\0');
    for (size_t i = 0; i < size; ++i)
      payload[i] = static_cast<char>(i * 7);
    for (bool mask : {false, true}) {
      const std::string frame = encodeFrame(kBinary, payload, mask, size != 126);
      Frame out;
      // Every prefix is incomplete, the whole frame decodes, bytes after it are left alone.
      for (size_t cut : {size_t(0), size_t(1), size_t(2), frame.size() / 2, frame.size() - 1})
        if (cut < frame.size())
          CPPUNIT_ASSERT_EQUAL(size_t(0), decodeFrame(frame.substr(0, cut), mask, 1 << 20, &out));
      CPPUNIT_ASSERT_EQUAL(frame.size(), decodeFrame(frame + "xyz", mask, 1 << 20, &out));
      CPPUNIT_ASSERT(out.payload == payload);
      CPPUNIT_ASSERT_EQUAL(uint8_t(kBinary), out.opcode);
      CPPUNIT_ASSERT_EQUAL(size != 126, out.fin);
      const size_t header = 2 + (size >= 65536 ? 8 : size >= 126 ? 2 : 0) + (mask ? 4 : 0);
      CPPUNIT_ASSERT_EQUAL(header + size, frame.size());
    }
  }
  Frame close;
  const std::string frame = encodeClose(1002, std::string(300, 'r'), true);
  CPPUNIT_ASSERT_EQUAL(frame.size(), decodeFrame(frame, true, 125, &close));
  CPPUNIT_ASSERT_EQUAL(uint8_t(kClose), close.opcode);
  CPPUNIT_ASSERT_EQUAL(size_t(122), close.payload.size());  // code + a reason cut to fit
  CPPUNIT_ASSERT_EQUAL(char(0x03), close.payload[0]);
  CPPUNIT_ASSERT_EQUAL(char(0xea), close.payload[1]);
}

void WsCodecTest::testBadFrames() {
  Frame out;
  auto code = [&](const std::string& frame, bool masked, size_t max = 1 << 20) -> int {
    try {
      decodeFrame(frame, masked, max, &out);
    } catch (const WsError& e) {
      return e.code;
    }
    return 0;
  };
  const std::string good = encodeFrame(kBinary, "hello", true);
  CPPUNIT_ASSERT_EQUAL(0, code(good, true));
  CPPUNIT_ASSERT_EQUAL(1002, code(good, false));  // a client's frame where a server's is due
  CPPUNIT_ASSERT_EQUAL(1002, code(encodeFrame(kBinary, "hello", false), true));
  std::string rsv = good;
  rsv[0] = static_cast<char>(rsv[0] | 0x40);  // permessage-deflate was not negotiated
  CPPUNIT_ASSERT_EQUAL(1002, code(rsv, true));
  CPPUNIT_ASSERT_EQUAL(1002, code(encodeFrame(3, "x", true), true));  // reserved opcode
  CPPUNIT_ASSERT_EQUAL(1002, code(encodeFrame(kPing, std::string(126, 'p'), true), true));
  CPPUNIT_ASSERT_EQUAL(1002, code(encodeFrame(kPing, "p", true, false), true));  // fragmented
  CPPUNIT_ASSERT_EQUAL(1009, code(encodeFrame(kBinary, std::string(1000, 'b'), true), true, 999));
  // A 64-bit length far beyond the limit is refused from its header alone.
  std::string huge("\x82\xff\x7f\xff\xff\xff\xff\xff\xff\xff", 10);
  CPPUNIT_ASSERT_EQUAL(1009, code(huge, true));
}

void WsCodecTest::testHttpHeads() {
  const std::string request =
      "GET /chat?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nupgrade:  WebSocket \r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\nFRAMES";
  CPPUNIT_ASSERT_EQUAL(size_t(0), headLength(request.substr(0, 40), 1000));
  const size_t length = headLength(request, 1000);
  CPPUNIT_ASSERT_EQUAL(request.size() - 6, length);
  HttpHead head;
  std::string error;
  CPPUNIT_ASSERT(parseRequest(request.substr(0, length), &head, &error));
  CPPUNIT_ASSERT_EQUAL(std::string("GET"), head.method);
  CPPUNIT_ASSERT_EQUAL(std::string("/chat?x=1"), head.target);
  CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:8080"), head.get("host"));
  CPPUNIT_ASSERT(isUpgrade(head));
  CPPUNIT_ASSERT_EQUAL(std::string(), head.get("Origin"));
  CPPUNIT_ASSERT_THROW(headLength(std::string(2000, 'a'), 1000), std::runtime_error);
  HttpHead bad;
  CPPUNIT_ASSERT(!parseRequest("GET\r\n\r\n", &bad, &error));
  CPPUNIT_ASSERT(!parseRequest("GET / SPDY/3\r\n\r\n", &bad, &error));
  CPPUNIT_ASSERT(!parseRequest("GET / HTTP/1.1\r\nno colon here\r\n\r\n", &bad, &error));
  // Header names are tokens, values have no CR or NUL (found by fuzz_proxy_ws: "\r: x").
  CPPUNIT_ASSERT(!parseRequest("GET / HTTP/1.1\r\n\r: x\r\n\r\n", &bad, &error));
  CPPUNIT_ASSERT(!parseRequest("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", &bad, &error));
  CPPUNIT_ASSERT(!parseRequest("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", &bad, &error));
  CPPUNIT_ASSERT(
      !parseRequest(std::string("GET / HTTP/1.1\r\nHo\0st: a\r\n\r\n", 27), &bad, &error));
  HttpHead response;
  CPPUNIT_ASSERT(parseResponse(
      "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: abc\r\n\r\n", &response, &error));
  CPPUNIT_ASSERT_EQUAL(101, response.status);
  CPPUNIT_ASSERT_EQUAL(std::string("abc"), response.get("sec-websocket-accept"));
  CPPUNIT_ASSERT(!parseResponse("HTTP/1.1 abc\r\n\r\n", &bad, &error));
}

namespace {

/// A byte stream for WsChannel: reads hand out |input| in pieces of at most |piece| bytes.
class ScriptedChannel : public rdk::proxy::io::Channel {
 public:
  ScriptedChannel(std::string input, size_t piece) : input_(std::move(input)), piece_(piece) {}
  long read(char* buffer, size_t size, uint64_t, std::string* error) override {
    if (input_.empty()) {
      *error = "timed out";
      return -1;
    }
    const size_t n = std::min({size, piece_, input_.size()});
    std::memcpy(buffer, input_.data(), n);
    input_.erase(0, n);
    return static_cast<long>(n);
  }
  bool write(std::string_view data, int) override {
    written.append(data);
    return true;
  }
  int fd() const override { return -1; }
  bool plain() const override { return true; }
  std::string written;

 private:
  std::string input_;
  size_t piece_;
};

}  // namespace

void WsCodecTest::testLoginChannelEndsMessagesAtTheSwitch() {
  for (size_t piece : {size_t(1), size_t(5), size_t(4096)}) {
    // A message in three frames with a ping between them, then the client's next message.
    const std::string next = encodeFrame(kBinary, "NEXT", true);
    ScriptedChannel socket(encodeFrame(kBinary, "hel", true, false) +
                               encodeFrame(kPing, "p", true) +
                               encodeFrame(kContinuation, "lo ", true, false) +
                               encodeFrame(kContinuation, "world", true, true) + next,
                           piece);
    rdk::proxy::io::WsChannel ws(socket, true, "", 1 << 20);
    char buffer[3];
    std::string error;
    CPPUNIT_ASSERT_EQUAL(3L, ws.read(buffer, sizeof buffer, 0, &error));
    CPPUNIT_ASSERT_EQUAL(std::string("hel"), std::string(buffer, 3));
    // At the switch: the rest of the open message is read and handed over as payload; the next
    // message stays raw (it crosses unchanged); the ping was answered with an unmasked pong.
    std::string payload;
    CPPUNIT_ASSERT_MESSAGE(error, ws.finishMessage(0, &payload, &error));
    CPPUNIT_ASSERT_EQUAL(std::string("lo world"), payload);
    std::string raw = ws.takeRaw();
    char rest[64];
    for (long n; (n = socket.read(rest, sizeof rest, 0, &error)) > 0;)
      raw.append(rest, static_cast<size_t>(n));
    CPPUNIT_ASSERT(raw == next);
    CPPUNIT_ASSERT(socket.written == encodeFrame(kPong, "p", false));
  }
  // The proxy's frames: unmasked to a client, masked to a session, one binary message each.
  ScriptedChannel a("", 1), b("", 1);
  rdk::proxy::io::WsChannel toClient(a, true, "", 1 << 20), toSession(b, false, "", 1 << 20);
  CPPUNIT_ASSERT(toClient.write("abc", 1000) && toSession.write("abc", 1000));
  Frame frame;
  CPPUNIT_ASSERT_EQUAL(a.written.size(), decodeFrame(a.written, false, 100, &frame));
  CPPUNIT_ASSERT_EQUAL(std::string("abc"), frame.payload);
  CPPUNIT_ASSERT_EQUAL(b.written.size(), decodeFrame(b.written, true, 100, &frame));
  CPPUNIT_ASSERT_EQUAL(std::string("abc"), frame.payload);
  // What came with the upgrade (bytes after the HTTP head) is read first.
  ScriptedChannel empty("", 1);
  rdk::proxy::io::WsChannel early(empty, true, encodeFrame(kBinary, "early", true), 1 << 20);
  char buffer[16];
  std::string error;
  CPPUNIT_ASSERT_EQUAL(5L, early.read(buffer, sizeof buffer, 0, &error));
}

void WsCodecTest::testLoginChannelRefusesBadFrames() {
  char buffer[16];
  std::string error;
  {  // An unmasked frame from a client: refused with close code 1002.
    ScriptedChannel socket(encodeFrame(kBinary, "x", false), 4096);
    rdk::proxy::io::WsChannel ws(socket, true, "", 1 << 20);
    CPPUNIT_ASSERT_EQUAL(-1L, ws.read(buffer, sizeof buffer, 0, &error));
    Frame close;
    CPPUNIT_ASSERT(decodeFrame(socket.written, false, 125, &close) > 0);
    CPPUNIT_ASSERT_EQUAL(uint8_t(kClose), close.opcode);
    CPPUNIT_ASSERT_EQUAL(char(0x03), close.payload[0]);
    CPPUNIT_ASSERT_EQUAL(char(0xea), close.payload[1]);
  }
  {  // A continuation with no message open.
    ScriptedChannel socket(encodeFrame(kContinuation, "x", true), 4096);
    rdk::proxy::io::WsChannel ws(socket, true, "", 1 << 20);
    CPPUNIT_ASSERT_EQUAL(-1L, ws.read(buffer, sizeof buffer, 0, &error));
  }
  {  // A frame above the login's limit (the hello's size bound).
    ScriptedChannel socket(encodeFrame(kBinary, std::string(2000, 'x'), true), 4096);
    rdk::proxy::io::WsChannel ws(socket, true, "", 1000);
    CPPUNIT_ASSERT_EQUAL(-1L, ws.read(buffer, sizeof buffer, 0, &error));
  }
  {  // A close frame ends the stream.
    ScriptedChannel socket(encodeClose(1000, "bye", true), 4096);
    rdk::proxy::io::WsChannel ws(socket, true, "", 1 << 20);
    CPPUNIT_ASSERT_EQUAL(0L, ws.read(buffer, sizeof buffer, 0, &error));
  }
}
