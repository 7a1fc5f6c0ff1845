// libFuzzer target: the UDP transport's datagram parsers (plugins/transports/udp/core/wire.cpp) and
// its stateless cookies (cookie.cpp) on one arbitrary datagram.
//
// The input is a whole datagram as it comes off the socket (or, on dtls://, out of the DTLS
// record layer: the same bytes reach the same parsers). Checked, besides no crash:
//  * the header parser accepts exactly what writeHeader produces (version 1, types 1..4);
//  * every frame of an accepted DATA body lies inside the datagram and obeys the documented limits
//    (ACK ranges descending and disjoint, fragments inside their message, parity slots ascending,
//    disjoint and no longer than the parity data; Reed-Solomon FEC frames: k <= 16 slots, shard
//    index below its count <= 16), and writing the frames again (XOR parity with writeParity,
//    FEC with writeFec) and parsing that gives the same frames;
//  * the features an INITIAL or ACCEPT announces round-trip through makeInitial/makeAccept;
//  * an INITIAL/RETRY token round-trips through makeInitial/makeRetry; a token verifies as a
//    cookie only if it is one we minted (a forged 24-byte token never does).
// The session's use of the parsed frames (acks, reassembly, parity recovery) is fuzz_udp_session.
#include <netinet/in.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "cookie.hpp"
#include "wire.hpp"

using namespace rdk::udp;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

bool inside(const uint8_t* p, size_t n, const uint8_t* q, size_t m) {
  return q >= p && q + m <= p + n;
}

// The parsed frames as the session sees them, checked against the wire format's rules.
void checkFrames(const DataFrames& f, const uint8_t* body, size_t n) {
  if (f.ack) {
    check(!f.ack->ranges.empty() && f.ack->ranges.size() <= 32);
    for (size_t i = 0; i < f.ack->ranges.size(); ++i) {
      const AckRange& r = f.ack->ranges[i];
      check(r.low <= r.high);
      if (i > 0)
        check(r.high + 1 < f.ack->ranges[i - 1].low);  // a gap of at least one packet
    }
  }
  for (const FragmentFrame& fr : f.fragments) {
    check(fr.total <= kMaxMessageSize);
    check(uint64_t(fr.offset) + fr.length <= fr.total);
    check(fr.length == 0 || inside(body, n, fr.data, fr.length));
  }
  for (const ParityFrame& p : f.parities) {
    check(!p.slots.empty() && p.slots.size() <= kMaxParitySlots && p.total <= kMaxMessageSize);
    uint64_t end = 0;
    for (const ParitySlot& s : p.slots) {
      check(s.length > 0 && s.offset >= end && s.length <= p.length);
      end = uint64_t(s.offset) + s.length;
      check(end <= p.total);
    }
    check(p.length == 0 || inside(body, n, p.data, p.length));
    check(p.parityCount <= kMaxFecParities && (p.parityCount == 0 || p.index < p.parityCount));
  }
  if (f.close)
    check(f.close->size() <= 512);
}

// Writes |f| again with the writers the session uses and parses the result.
void checkRewrite(const DataFrames& f) {
  std::vector<uint8_t> out;
  if (f.ack) {
    writeAck(out, *f.ack);
    check(out.size() == ackFrameSize(*f.ack));
  }
  for (const FragmentFrame& fr : f.fragments)
    writeFragment(out, fr.cls, fr.seq, fr.total, fr.offset, fr.data, fr.length);
  for (const ParityFrame& p : f.parities) {
    const size_t before = out.size();
    if (p.parityCount) {
      writeFec(out, p.seq, p.total, p.slots, p.parityCount, p.index, p.data, p.length);
      check(out.size() - before == fecFrameSize(p.slots.size(), p.length));
    } else {
      writeParity(out, p.seq, p.total, p.slots, p.data, p.length);
      check(out.size() - before == parityFrameSize(p.slots.size(), p.length));
    }
  }
  for (size_t i = 0; i < f.delivered.size(); i += kMaxDelivered)
    writeDelivered(out, f.delivered.data() + i, std::min(kMaxDelivered, f.delivered.size() - i));
  if (f.close)
    writeClose(out, *f.close);
  if (f.pathChallenge)
    writePath(out, FrameType::kPathChallenge, *f.pathChallenge);
  if (f.pathResponse)
    writePath(out, FrameType::kPathResponse, *f.pathResponse);
  if (f.ping)
    out.push_back(static_cast<uint8_t>(FrameType::kPing));
  auto again = parseFrames(out.data(), out.size());
  check(again.has_value());
  check(again->ack.has_value() == f.ack.has_value());
  if (f.ack) {
    check(again->ack->ackDelayUs == std::min<uint64_t>(f.ack->ackDelayUs, UINT32_MAX));
    check(again->ack->ranges.size() == f.ack->ranges.size());
    for (size_t i = 0; i < f.ack->ranges.size(); ++i) {
      check(again->ack->ranges[i].low == f.ack->ranges[i].low);
      check(again->ack->ranges[i].high == f.ack->ranges[i].high);
    }
  }
  check(again->fragments.size() == f.fragments.size());
  for (size_t i = 0; i < f.fragments.size(); ++i) {
    const FragmentFrame &a = f.fragments[i], &b = again->fragments[i];
    check(a.cls == b.cls && a.seq == b.seq && a.total == b.total && a.offset == b.offset &&
          a.length == b.length && (a.length == 0 || std::memcmp(a.data, b.data, a.length) == 0));
  }
  check(again->parities.size() == f.parities.size());
  for (size_t i = 0; i < f.parities.size(); ++i) {
    const ParityFrame &a = f.parities[i], &b = again->parities[i];
    check(a.seq == b.seq && a.total == b.total && a.length == b.length && a.slots == b.slots &&
          a.parityCount == b.parityCount && a.index == b.index &&
          (a.length == 0 || std::memcmp(a.data, b.data, a.length) == 0));
  }
  check(again->delivered == f.delivered);
  check(again->close == f.close && again->pathChallenge == f.pathChallenge &&
        again->pathResponse == f.pathResponse && again->ping == f.ping);
}

PeerAddress someAddress(uint16_t port) {
  PeerAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  in->sin_addr.s_addr = htonl(0x7f000001);
  a.length = sizeof(sockaddr_in);
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const CookieMinter minter;
  const auto header = parseHeader(data, size);
  if (header) {
    check(size >= kHeaderSize);
    std::vector<uint8_t> again;
    writeHeader(again, *header);
    check(again.size() == kHeaderSize && std::memcmp(again.data(), data, kHeaderSize) == 0);
  }
  // The body parsers run whatever the header says (a spoofed or damaged header is no excuse).
  const size_t skip = size >= kHeaderSize ? kHeaderSize : 0;
  const uint8_t* body = data + skip;
  const size_t n = size - skip;

  if (auto frames = parseFrames(body, n)) {
    checkFrames(*frames, body, n);
    checkRewrite(*frames);
  }

  if (auto token = parseToken(body, n)) {
    check(token->size() <= 256);
    const uint64_t connId = header ? header->connId : 1;
    auto initial = makeInitial(connId, *token);
    check(initial.size() >= kMinInitialSize);
    auto h = parseHeader(initial.data(), initial.size());
    check(h && h->type == DatagramType::kInitial && h->connId == connId);
    auto t = parseToken(initial.data() + kHeaderSize, initial.size() - kHeaderSize);
    check(t && *t == *token);
    const uint32_t features = header ? static_cast<uint32_t>(header->pn) : 1;
    auto announced = makeInitial(connId, *token, features);
    check(initialFeatures(announced.data() + kHeaderSize, announced.size() - kHeaderSize) ==
          features);
    auto accept = makeAccept(connId, features);
    check(acceptFeatures(accept.data() + kHeaderSize, accept.size() - kHeaderSize) == features);
    auto retry = makeRetry(connId, *token);
    t = parseToken(retry.data() + kHeaderSize, retry.size() - kHeaderSize);
    check(t && *t == *token);
    // A token is a cookie only when we minted it for this address and id, at most 10 s ago.
    const PeerAddress from = someAddress(4000);
    const uint64_t now = 1'000'000'000;
    check(!minter.verify(*token, from, connId, now));
    auto cookie = minter.mint(from, connId, now);
    check(minter.verify(cookie, from, connId, now + 1));
    check(!minter.verify(cookie, someAddress(4001), connId, now + 1));
    check(!minter.verify(cookie, from, connId + 1, now + 1));
    check(!minter.verify(cookie, from, connId, now + CookieMinter::kLifetimeUs + 1));
  }
  return 0;
}
