#include "CapturedStreamTest.h"

#include <fstream>
#include <sstream>

#include "client_test_support.hpp"
#include "rdk/protocol/protocol.h"
#include "rdk/session/client.h"
#include "rdk/session/client_liveness.h"

CPPUNIT_TEST_SUITE_REGISTRATION(CapturedStreamTest);

using namespace rdk::protocol;
using rdk::test::FakeClock;
using rdk::test::FakeDecoderSource;
using rdk::test::RecordingSink;

namespace {

const std::string kDir = std::string(RDK_TEST_DATA_DIR) + "/xpra-3.1.3/";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CPPUNIT_ASSERT_MESSAGE(path, in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<Packet> decodeAll(const std::string& bytes, std::map<int64_t, std::string> aliases) {
  RecordReader reader;
  reader.setAliases(std::move(aliases));
  std::vector<Packet> out;
  auto failure = reader.feed(bytes, [&](Packet&& p) { out.push_back(std::move(p)); });
  CPPUNIT_ASSERT_MESSAGE(failure ? failure->message : "", !failure);
  return out;
}

}  // namespace

void CapturedStreamTest::testXpraServerStreamThroughTheClientHandlers() {
  // The server used the client's aliases.
  const Packet clientHello = decodeAll(readFile(kDir + "client-hello.bin"), {}).at(0);
  const auto aliases = Capabilities(Hello::fromPacket(clientHello).caps).aliases();
  const auto packets = decodeAll(readFile(kDir + "server-stream.bin"), aliases);

  RecordingSink sink;
  FakeClock clock;
  FakeDecoderSource decoders;
  rdk::session::WindowMirror mirror(sink);
  rdk::session::DrawHandler draws(mirror, sink, clock, decoders);
  rdk::session::Liveness liveness(sink, clock);
  MessageDispatcher d;
  mirror.registerWith(d);
  draws.registerWith(d);
  liveness.registerWith(d);
  rdk::session::ignoreUnusedServerPackets(d);
  d.ignore<Hello>();
  d.ignore<Disconnect>();

  std::vector<Draw> sentDraws;
  size_t newWindows = 0, pings = 0;
  for (const Packet& p : packets) {
    CPPUNIT_ASSERT_MESSAGE(p[0].asBytes(), d.dispatch(p));  // every packet has its handler
    if (p[0] == Value(Draw::kType))
      sentDraws.push_back(Draw::fromPacket(p));
    else if (p[0] == Value(NewWindow::kType))
      ++newWindows;
    else if (p[0] == Value(Ping::kType))
      ++pings;
  }
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, d.unknown().total());
  CPPUNIT_ASSERT(newWindows >= 1 && sentDraws.size() >= 3 && pings >= 1);
  CPPUNIT_ASSERT_EQUAL(newWindows, mirror.windows().size());
  // Each window mapped at its place, each draw acknowledged in order with its own sequence.
  auto maps = sink.of<MapWindow>();
  CPPUNIT_ASSERT_EQUAL(newWindows, maps.size());
  for (const MapWindow& m : maps) {
    const auto* w = mirror.find(static_cast<uint64_t>(m.wid));
    CPPUNIT_ASSERT(w);
    CPPUNIT_ASSERT_EQUAL(int64_t{w->geometry.w}, m.width);
  }
  auto acks = sink.of<DamageSequence>();
  CPPUNIT_ASSERT_EQUAL(sentDraws.size(), acks.size());
  for (size_t i = 0; i < acks.size(); ++i) {
    CPPUNIT_ASSERT_EQUAL(sentDraws[i].packetSequence, acks[i].packetSequence);
    CPPUNIT_ASSERT_EQUAL(sentDraws[i].wid, acks[i].wid);
    CPPUNIT_ASSERT_MESSAGE(acks[i].message, acks[i].decodeTimeUs > 0);
  }
  CPPUNIT_ASSERT_EQUAL(uint64_t{sentDraws.size()}, draws.stats().draws);
  CPPUNIT_ASSERT_EQUAL(pings, sink.of<PingEcho>().size());
}
