#include "UdpRouterTest.h"

#include <arpa/inet.h>

#include "rdk/protocol/messages/core.h"
#include "rdk/protocol/record_writer.h"
#include "rdk/protocol/value.h"
#include "rdk/proxy/udp_hello.h"
#include "rdk/proxy/udp_router.h"
#include "wire.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(UdpRouterTest);

using rdk::proxy::HelloAssembler;
using rdk::proxy::UdpRouter;
using rdk::proxy::UdpRouterLimits;
using rdk::proxy::UdpSend;
using rdk::udp::PeerAddress;
using Bytes = std::vector<uint8_t>;

namespace {

PeerAddress address(const char* ip, uint16_t port) {
  PeerAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  inet_pton(AF_INET, ip, &in->sin_addr);
  a.length = sizeof(sockaddr_in);
  return a;
}

const PeerAddress kClient = address("192.0.2.10", 40000);
const PeerAddress kMoved = address("198.51.100.7", 51000);
const PeerAddress kSession = address("127.0.0.1", 45000);
constexpr uint64_t kId = 0x1122334455667788ull;
constexpr uint64_t kSecond = 1'000'000;

std::string helloPacket(const std::string& user, size_t padding = 0) {
  rdk::protocol::Value caps(rdk::protocol::Value::Dict{});
  if (!user.empty())
    caps.set("username", rdk::protocol::Value(user));
  caps.set("padding", rdk::protocol::Value(std::string(padding, 'x')));
  rdk::protocol::RecordWriter writer;
  return writer.write(rdk::protocol::Hello{caps.asDict()}.toPacket());
}

Bytes dataDatagram(uint64_t id, uint64_t pn, uint64_t seq, const std::string& message,
                   uint32_t offset, uint32_t length) {
  Bytes d;
  rdk::udp::writeHeader(d, {rdk::udp::DatagramType::kData, id, pn});
  rdk::udp::writeFragment(d, rdk::udp::MessageClass::kReliable, seq, uint32_t(message.size()),
                          offset, reinterpret_cast<const uint8_t*>(message.data()) + offset,
                          uint16_t(length));
  return d;
}

Bytes closeDatagram(uint64_t id, uint64_t pn) {
  Bytes d;
  rdk::udp::writeHeader(d, {rdk::udp::DatagramType::kData, id, pn});
  rdk::udp::writeClose(d, "bye");
  return d;
}

rdk::udp::DatagramType typeOf(const Bytes& d) {
  return rdk::udp::parseHeader(d.data(), d.size())->type;
}

struct Harness {
  explicit Harness(UdpRouterLimits limits = {}) : router(limits) {}
  std::vector<UdpSend> client(const Bytes& d, const PeerAddress& from = kClient, uint64_t now = 0) {
    std::vector<UdpSend> out;
    router.fromClient(d.data(), d.size(), from, 0, now ? now : clock, out);
    return out;
  }
  std::vector<UdpSend> session(const Bytes& d, const PeerAddress& from = kSession,
                               uint64_t now = 0) {
    std::vector<UdpSend> out;
    router.fromSession(d.data(), d.size(), from, now ? now : clock, out);
    return out;
  }
  /// The client's handshake with the proxy: INITIAL, RETRY, INITIAL with the cookie, ACCEPT.
  void handshake(uint64_t id = kId, const PeerAddress& from = kClient) {
    auto out = client(rdk::udp::makeInitial(id, {}, rdk::udp::kFeatureReedSolomon), from);
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    CPPUNIT_ASSERT(typeOf(out[0].bytes) == rdk::udp::DatagramType::kRetry);
    const auto token = rdk::udp::parseToken(out[0].bytes.data() + rdk::udp::kHeaderSize,
                                            out[0].bytes.size() - rdk::udp::kHeaderSize);
    out = client(rdk::udp::makeInitial(id, *token, rdk::udp::kFeatureReedSolomon), from);
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
    CPPUNIT_ASSERT(typeOf(out[0].bytes) == rdk::udp::DatagramType::kAccept);
    CPPUNIT_ASSERT(out[0].to == from);
  }
  /// Handshake, the hello in one datagram, routeTo, the session's handshake: forwarding.
  void forwarding(const std::string& user = "alice") {
    handshake();
    const std::string hello = helloPacket(user);
    client(dataDatagram(kId, 1, 0, hello, 0, uint32_t(hello.size())));
    CPPUNIT_ASSERT_EQUAL(size_t(1), router.takeHellos().size());
    std::vector<UdpSend> out;
    CPPUNIT_ASSERT(router.routeTo(kId, kSession, user, clock, out));
    out = session(rdk::udp::makeAccept(kId, 1));
    CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());  // the held hello datagram
  }
  UdpRouter router;
  uint64_t clock = 1000 * kSecond;
};

}  // namespace

void UdpRouterTest::testHelloIsReadAndDatagramsForwardedVerbatim() {
  Harness h;
  h.handshake();
  CPPUNIT_ASSERT_EQUAL(size_t(1), h.router.pending());
  const std::string hello = helloPacket("alice", 2500);
  const uint32_t third = uint32_t(hello.size() / 3);
  const Bytes d1 = dataDatagram(kId, 1, 0, hello, 0, third);
  const Bytes d2 = dataDatagram(kId, 2, 0, hello, third, third);
  const Bytes d3 = dataDatagram(kId, 3, 0, hello, 2 * third, uint32_t(hello.size()) - 2 * third);
  const Bytes d2again = dataDatagram(kId, 4, 0, hello, third, third);  // the client's resend
  // Held, not answered: nothing goes anywhere before the session is known.
  CPPUNIT_ASSERT(h.client(d3).empty());
  CPPUNIT_ASSERT(h.client(d1).empty());
  CPPUNIT_ASSERT(h.router.takeHellos().empty());
  CPPUNIT_ASSERT(h.client(d2).empty());
  CPPUNIT_ASSERT(h.client(d2again).empty());
  const auto hellos = h.router.takeHellos();
  CPPUNIT_ASSERT_EQUAL(size_t(1), hellos.size());
  CPPUNIT_ASSERT_EQUAL(kId, hellos[0].connId);
  CPPUNIT_ASSERT(hellos[0].packet == hello);
  CPPUNIT_ASSERT_EQUAL(std::string("udp://192.0.2.10:40000"), hellos[0].client);
  std::string error;
  CPPUNIT_ASSERT_EQUAL(std::string("alice"), rdk::proxy::helloUsername(hellos[0].packet, &error));

  // The proxy replays the handshake to the session under the client's id and features.
  std::vector<UdpSend> out;
  CPPUNIT_ASSERT(h.router.routeTo(kId, kSession, "alice", h.clock, out));
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT(out[0].toSession && out[0].to == kSession);
  CPPUNIT_ASSERT(typeOf(out[0].bytes) == rdk::udp::DatagramType::kInitial);
  CPPUNIT_ASSERT(out[0].bytes.size() >= rdk::udp::kMinInitialSize);
  CPPUNIT_ASSERT_EQUAL(rdk::udp::kFeatureReedSolomon,
                       rdk::udp::initialFeatures(out[0].bytes.data() + rdk::udp::kHeaderSize,
                                                 out[0].bytes.size() - rdk::udp::kHeaderSize));
  out = h.session(rdk::udp::makeRetry(kId, {9, 8, 7}));
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  const auto token = rdk::udp::parseToken(out[0].bytes.data() + rdk::udp::kHeaderSize,
                                          out[0].bytes.size() - rdk::udp::kHeaderSize);
  CPPUNIT_ASSERT(*token == (Bytes{9, 8, 7}));
  // ACCEPT: the held datagrams go to the session as they came, in order.
  out = h.session(rdk::udp::makeAccept(kId, 1));
  CPPUNIT_ASSERT_EQUAL(size_t(4), out.size());
  const std::vector<Bytes> held{d3, d1, d2, d2again};
  for (size_t i = 0; i < 4; ++i) {
    CPPUNIT_ASSERT(out[i].toSession && out[i].to == kSession);
    CPPUNIT_ASSERT(out[i].bytes == held[i]);
  }
  CPPUNIT_ASSERT_EQUAL(size_t(0), h.router.pending());
  // From now on both ways, byte for byte.
  const Bytes fromSession = dataDatagram(kId, 7, 0, "server hello", 0, 12);
  out = h.session(fromSession);
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT(!out[0].toSession && out[0].to == kClient && out[0].bytes == fromSession);
  const Bytes input = dataDatagram(kId, 5, 1, "pointer", 0, 7);
  out = h.client(input);
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT(out[0].toSession && out[0].bytes == input);
  CPPUNIT_ASSERT_EQUAL(std::string("alice"), h.router.takeActiveUsers().at(0));
  // A repeated INITIAL (our ACCEPT lost) is answered again, not routed.
  out = h.client(rdk::udp::makeInitial(kId, {1}, 0));
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT(typeOf(out[0].bytes) == rdk::udp::DatagramType::kAccept);
}

void UdpRouterTest::testClientAddressChangeKeepsTheRoute() {
  Harness h;
  h.forwarding();
  // The client's NAT rebinds: same connection id, new address, a newer packet number.
  const Bytes moved = dataDatagram(kId, 10, 1, "after the move", 0, 14);
  auto out = h.client(moved, kMoved);
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT(out[0].toSession && out[0].bytes == moved);
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), h.router.stats().addressChanges);
  CPPUNIT_ASSERT_EQUAL(std::string("udp://198.51.100.7:51000"), h.router.clientOf(kId));
  CPPUNIT_ASSERT_EQUAL(size_t(1), h.router.takeLog().size());
  // The session's datagrams follow the client.
  out = h.session(dataDatagram(kId, 20, 1, "frame", 0, 5));
  CPPUNIT_ASSERT(out.at(0).to == kMoved);
  // An older datagram from the old address (a late one, or a replay) does not pull it back.
  out = h.client(dataDatagram(kId, 9, 1, "stale", 0, 5), kClient);
  CPPUNIT_ASSERT(out.empty());
  CPPUNIT_ASSERT_EQUAL(std::string("udp://198.51.100.7:51000"), h.router.clientOf(kId));
  // Garbage with the right id from a third address moves nothing either.
  Bytes junk;
  rdk::udp::writeHeader(junk, {rdk::udp::DatagramType::kData, kId, 99});
  junk.push_back(0xEE);
  CPPUNIT_ASSERT(h.client(junk, address("203.0.113.5", 1)).empty());
  CPPUNIT_ASSERT_EQUAL(std::string("udp://198.51.100.7:51000"), h.router.clientOf(kId));
  // The client moves back (its newest packet number again wins).
  out = h.client(dataDatagram(kId, 11, 1, "back", 0, 4), kClient);
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT_EQUAL(std::string("udp://192.0.2.10:40000"), h.router.clientOf(kId));
}

void UdpRouterTest::testUnknownIdsAndStrangersAreDropped() {
  Harness h;
  CPPUNIT_ASSERT(h.client(dataDatagram(42, 1, 0, "x", 0, 1)).empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), h.router.stats().unknownId);
  CPPUNIT_ASSERT(h.client(Bytes(30, 0x55)).empty());
  CPPUNIT_ASSERT(h.client(Bytes{}).empty());
  // An unpadded INITIAL gets nothing (it could make the proxy an amplifier).
  Bytes small;
  rdk::udp::writeHeader(small, {rdk::udp::DatagramType::kInitial, 7, 0});
  small.push_back(0);
  small.push_back(0);
  CPPUNIT_ASSERT(h.client(small).empty());
  // A forged cookie: only a new RETRY, no route.
  auto out = h.client(rdk::udp::makeInitial(7, {1, 2, 3}, 0));
  CPPUNIT_ASSERT(typeOf(out.at(0).bytes) == rdk::udp::DatagramType::kRetry);
  CPPUNIT_ASSERT_EQUAL(size_t(0), h.router.routes());
  h.forwarding();
  // Only the route's session may answer on it; the session never reaches unknown ids.
  CPPUNIT_ASSERT(h.session(dataDatagram(kId, 5, 0, "x", 0, 1), address("127.0.0.1", 1)).empty());
  CPPUNIT_ASSERT(h.session(dataDatagram(43, 5, 0, "x", 0, 1)).empty());
  // A client-side ACCEPT or RETRY is nonsense.
  CPPUNIT_ASSERT(h.client(rdk::udp::makeAccept(kId)).empty());
  // The route's session is not reachable before routeTo: a session datagram on a pending route.
  Harness pending;
  pending.handshake();
  CPPUNIT_ASSERT(pending.session(rdk::udp::makeAccept(kId)).empty());
  std::vector<UdpSend> none;
  CPPUNIT_ASSERT(!pending.router.routeTo(kId, kSession, "alice", pending.clock, none));  // no hello
  CPPUNIT_ASSERT(!pending.router.routeTo(77, kSession, "alice", pending.clock, none));
}

void UdpRouterTest::testRoutesExpire() {
  UdpRouterLimits limits;
  Harness idle(limits);
  idle.forwarding();
  std::vector<UdpSend> out;
  CPPUNIT_ASSERT(idle.router.tick(idle.clock + limits.idleTimeoutUs / 2, out).empty());
  auto ended = idle.router.tick(idle.clock + limits.idleTimeoutUs + 1, out);
  CPPUNIT_ASSERT_EQUAL(size_t(1), ended.size());
  CPPUNIT_ASSERT_EQUAL(std::string("alice"), ended[0].user);
  CPPUNIT_ASSERT_EQUAL(size_t(0), idle.router.routes());

  // A CLOSE either way: the route stays for the repeats, then ends.
  Harness closing(limits);
  closing.forwarding();
  CPPUNIT_ASSERT_EQUAL(size_t(1), closing.client(closeDatagram(kId, 30)).size());
  CPPUNIT_ASSERT(closing.router.tick(closing.clock + limits.closeLingerUs / 2, out).empty());
  ended = closing.router.tick(closing.clock + limits.closeLingerUs + 1, out);
  CPPUNIT_ASSERT_EQUAL(std::string("closed"), ended.at(0).why);
  Harness sessionCloses(limits);
  sessionCloses.forwarding();
  CPPUNIT_ASSERT_EQUAL(size_t(1), sessionCloses.session(closeDatagram(kId, 30)).size());
  CPPUNIT_ASSERT_EQUAL(
      size_t(1),
      sessionCloses.router.tick(sessionCloses.clock + limits.closeLingerUs + 1, out).size());

  // No hello (or no session) in time: a CLOSE to the client, no user to release.
  Harness slow(limits);
  slow.handshake();
  out.clear();
  slow.client(dataDatagram(kId, 1, 0, helloPacket("bob"), 0, 10), kClient,
              slow.clock + limits.pendingTimeoutUs - kSecond);  // keeps it from idling out
  ended = slow.router.tick(slow.clock + limits.pendingTimeoutUs + 1, out);
  CPPUNIT_ASSERT_EQUAL(size_t(1), ended.size());
  CPPUNIT_ASSERT(ended[0].user.empty());
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  const auto frames = rdk::udp::parseFrames(out[0].bytes.data() + rdk::udp::kHeaderSize,
                                            out[0].bytes.size() - rdk::udp::kHeaderSize);
  CPPUNIT_ASSERT(frames && frames->close);
  // That CLOSE may be lost: the client's next datagram on the id gets it again (only from its
  // own address, only while the route lingers), else it would resend into silence.
  const uint64_t closedAt = slow.clock + limits.pendingTimeoutUs + 1;
  const auto again = slow.client(dataDatagram(kId, 2, 0, helloPacket("bob"), 0, 10), kClient,
                                 closedAt + kSecond / 10);
  CPPUNIT_ASSERT_EQUAL(size_t(1), again.size());
  const auto againFrames = rdk::udp::parseFrames(again[0].bytes.data() + rdk::udp::kHeaderSize,
                                                 again[0].bytes.size() - rdk::udp::kHeaderSize);
  CPPUNIT_ASSERT(againFrames && againFrames->close);
  CPPUNIT_ASSERT(slow.client(dataDatagram(kId, 3, 0, helloPacket("bob"), 0, 10), kMoved,
                             closedAt + kSecond / 10)
                     .empty());
  CPPUNIT_ASSERT(slow.client(dataDatagram(kId, 4, 0, helloPacket("bob"), 0, 10), kClient,
                             closedAt + limits.closeLingerUs + 1)
                     .empty());

  // A session that never answers the replayed handshake: INITIAL resent, then CLOSE.
  Harness silent(limits);
  silent.handshake();
  const std::string hello = helloPacket("carol");
  silent.client(dataDatagram(kId, 1, 0, hello, 0, uint32_t(hello.size())));
  silent.router.takeHellos();
  out.clear();
  CPPUNIT_ASSERT(silent.router.routeTo(kId, kSession, "carol", silent.clock, out));
  out.clear();
  silent.router.tick(silent.clock + 300'000, out);
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  CPPUNIT_ASSERT(out[0].toSession && typeOf(out[0].bytes) == rdk::udp::DatagramType::kInitial);
  out.clear();
  silent.client(dataDatagram(kId, 2, 1, "x", 0, 1), kClient, silent.clock + 9 * kSecond);
  ended = silent.router.tick(silent.clock + limits.sessionHandshakeTimeoutUs + 1, out);
  CPPUNIT_ASSERT_EQUAL(std::string("carol"), ended.at(0).user);
  CPPUNIT_ASSERT(!out.at(0).toSession && out.at(0).to == kClient);
}

void UdpRouterTest::testLimits() {
  UdpRouterLimits limits;
  limits.maxPending = 2;
  limits.maxPendingBytes = 4096;
  Harness h(limits);
  h.handshake(1);
  h.handshake(2);
  // A third connection waiting for its session is refused (no ACCEPT: the client retries).
  auto out = h.client(rdk::udp::makeInitial(3, {}, 0));
  const auto token = rdk::udp::parseToken(out[0].bytes.data() + rdk::udp::kHeaderSize,
                                          out[0].bytes.size() - rdk::udp::kHeaderSize);
  CPPUNIT_ASSERT(h.client(rdk::udp::makeInitial(3, *token, 0)).empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t(1), h.router.stats().refusedLimit);
  CPPUNIT_ASSERT_EQUAL(size_t(2), h.router.routes());
  // Held bytes are bounded per route: beyond, datagrams are dropped (the client resends).
  const std::string big = helloPacket("alice", 3000);
  for (uint64_t pn = 1; pn <= 4; ++pn)
    h.client(dataDatagram(1, pn, 0, big, 0, 1000));
  CPPUNIT_ASSERT(h.router.stats().heldDropped >= 1);
  // A hello claiming more than the bound ends the route with a reason.
  const std::string huge = helloPacket("bob", 6000);
  out = h.client(dataDatagram(2, 1, 0, huge, 0, 1000));
  CPPUNIT_ASSERT_EQUAL(size_t(1), out.size());
  const auto frames = rdk::udp::parseFrames(out[0].bytes.data() + rdk::udp::kHeaderSize,
                                            out[0].bytes.size() - rdk::udp::kHeaderSize);
  CPPUNIT_ASSERT(frames && frames->close && frames->close->find("hello of") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(size_t(1), h.router.routes());
  std::vector<UdpSend> none;
  CPPUNIT_ASSERT_EQUAL(size_t(1), h.router.tick(h.clock, none).size());  // reported as ended
}

void UdpRouterTest::testHelloAssemblerAndUsername() {
  const std::string message = "0123456789abcdef";
  auto add = [&](HelloAssembler& a, uint32_t offset, uint16_t length) {
    return a.add(uint32_t(message.size()), offset,
                 reinterpret_cast<const uint8_t*>(message.data()) + offset, length);
  };
  HelloAssembler a(64);
  CPPUNIT_ASSERT(add(a, 10, 6) == HelloAssembler::Result::kMore);
  CPPUNIT_ASSERT(add(a, 0, 4) == HelloAssembler::Result::kMore);
  CPPUNIT_ASSERT(add(a, 2, 5) == HelloAssembler::Result::kMore);  // overlaps the first range
  CPPUNIT_ASSERT(add(a, 7, 3) == HelloAssembler::Result::kComplete);
  CPPUNIT_ASSERT_EQUAL(message, a.bytes());
  HelloAssembler disagree(64);
  add(disagree, 0, 4);
  const uint8_t x = 'x';
  CPPUNIT_ASSERT(disagree.add(99, 4, &x, 1) == HelloAssembler::Result::kRefused);
  HelloAssembler outside(64);
  CPPUNIT_ASSERT(outside.add(16, 15, &x, 2) == HelloAssembler::Result::kRefused);
  HelloAssembler tooBig(8);
  CPPUNIT_ASSERT(add(tooBig, 0, 4) == HelloAssembler::Result::kRefused);
  CPPUNIT_ASSERT(!tooBig.why().empty());

  std::string error;
  CPPUNIT_ASSERT(rdk::proxy::helloUsername("not xpra at all", &error).empty());
  CPPUNIT_ASSERT(!error.empty());
  error.clear();
  CPPUNIT_ASSERT(rdk::proxy::helloUsername(helloPacket(""), &error).empty());
  CPPUNIT_ASSERT_EQUAL(std::string("the proxy needs a username"), error);
  rdk::protocol::RecordWriter writer;
  const std::string ping =
      writer.write(rdk::protocol::Packet{rdk::protocol::Value("ping"), rdk::protocol::Value(1)});
  CPPUNIT_ASSERT(rdk::proxy::helloUsername(ping, &error).empty());
  CPPUNIT_ASSERT_EQUAL(std::string("the first packet is not a hello"), error);
}
