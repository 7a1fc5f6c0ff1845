// The proxy's HTTP head and WebSocket frame code (kernel/proxy/src/ws_codec.cpp) without
// sockets: frames of every length class both ways, the RFC 6455 accept key, frames a peer must
// not send, partial input, request and response heads; the login's WsChannel over a scripted
// byte stream (pings answered, a fragmented message finished at the switch, what it leaves raw).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class WsCodecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WsCodecTest);
  CPPUNIT_TEST(testFramesRoundTrip);
  CPPUNIT_TEST(testBadFrames);
  CPPUNIT_TEST(testHttpHeads);
  CPPUNIT_TEST(testLoginChannelEndsMessagesAtTheSwitch);
  CPPUNIT_TEST(testLoginChannelRefusesBadFrames);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testFramesRoundTrip();
  void testBadFrames();
  void testHttpHeads();
  void testLoginChannelEndsMessagesAtTheSwitch();
  void testLoginChannelRefusesBadFrames();
};
