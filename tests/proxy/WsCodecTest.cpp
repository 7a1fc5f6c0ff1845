#include "WsCodecTest.h"

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
  HttpHead response;
  CPPUNIT_ASSERT(parseResponse(
      "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: abc\r\n\r\n", &response, &error));
  CPPUNIT_ASSERT_EQUAL(101, response.status);
  CPPUNIT_ASSERT_EQUAL(std::string("abc"), response.get("sec-websocket-accept"));
  CPPUNIT_ASSERT(!parseResponse("HTTP/1.1 abc\r\n\r\n", &bad, &error));
}
