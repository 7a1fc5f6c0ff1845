// libFuzzer target: the proxy's UDP router (kernel/proxy: udp_router, udp_hello) - what an
// unauthenticated client's datagrams can make `rdkernel proxy` do before any session exists.
//
// The input is a script of operations on one UdpRouter (no sockets, virtual time):
//   0 raw datagram from client address a          4 a client's INITIAL: the first one (conn id
//   1 raw datagram from the session                 k), or the answer to the last RETRY
//   2 time passes (tick)                           5 a DATA datagram with FRAGMENT frames of
//   3 hellos taken: each read for its user name;     reliable message 0 (the hello) for conn id k
//     some routed to a session, some refused       6 DATA with raw frames for conn id k
// The harness plays the client's side of the handshake (op 4) so the fuzzer reaches the held
// datagrams and the hello reassembly behind the stateless cookie, which it could not forge.
// Checked, besides no crash, leak or hang: the routes and the pending routes stay within their
// limits, and nothing the router sends is larger than a datagram.
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "rdk/proxy/udp_hello.h"
#include "rdk/proxy/udp_router.h"
#include "wire.hpp"

using namespace rdk;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

struct Script {
  const uint8_t* p;
  size_t n;
  bool empty() const { return n == 0; }
  uint8_t byte() {
    if (!n)
      return 0;
    --n;
    return *p++;
  }
  uint16_t u16() { return static_cast<uint16_t>(byte() | (byte() << 8)); }
  std::vector<uint8_t> bytes(size_t max) {
    size_t len = u16() % (max + 1);
    len = std::min(len, n);
    std::vector<uint8_t> out(p, p + len);
    p += len;
    n -= len;
    return out;
  }
};

udp::PeerAddress address(uint8_t host, uint16_t port) {
  udp::PeerAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  in->sin_addr.s_addr = htonl(0x7f000000u | host);
  a.length = sizeof(sockaddr_in);
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  proxy::UdpRouterLimits limits;
  limits.maxRoutes = 8;
  limits.maxPending = 4;
  limits.maxPendingBytes = 16 << 10;
  proxy::UdpRouter router(limits);
  Script s{data, size};
  uint64_t now = 1'000'000;
  const udp::PeerAddress session = address(200, 9000);
  const uint64_t connIds[4] = {0x1111, 0x2222, 0x3333, 0x4444};
  std::vector<uint8_t> lastToken;
  uint64_t lastTokenId = 0;
  uint64_t pn[4] = {1, 1, 1, 1};
  std::vector<proxy::UdpSend> out;
  auto drain = [&] {
    for (const proxy::UdpSend& send : out) {
      check(send.bytes.size() <= 65507);
      if (send.toSession)
        continue;
      auto h = udp::parseHeader(send.bytes.data(), send.bytes.size());
      if (h && h->type == udp::DatagramType::kRetry) {
        auto token = udp::parseToken(send.bytes.data() + udp::kHeaderSize,
                                     send.bytes.size() - udp::kHeaderSize);
        if (token) {
          lastToken = *token;
          lastTokenId = h->connId;
        }
      }
    }
    out.clear();
  };
  for (int steps = 0; !s.empty() && steps < 256; ++steps) {
    const uint8_t op = s.byte() % 7;
    const size_t k = s.byte() % 4;
    const udp::PeerAddress client = address(static_cast<uint8_t>(1 + k % 2), 5000 + k);
    switch (op) {
      case 0: {
        const auto d = s.bytes(1500);
        router.fromClient(d.data(), d.size(), client, 0, now, out);
        break;
      }
      case 1: {
        const auto d = s.bytes(1500);
        router.fromSession(d.data(), d.size(), session, now, out);
        break;
      }
      case 2:
        now += 1000ull * (1 + s.u16()) * 10;
        router.tick(now, out);
        break;
      case 3:
        for (const proxy::UdpHello& hello : router.takeHellos()) {
          std::string error;
          const std::string user = proxy::helloUsername(hello.packet, &error);
          if (user.empty() || (s.byte() & 1))
            router.refuse(hello.connId, "no such user", out);
          else
            router.routeTo(hello.connId, session, user, now, out);
        }
        router.takeActiveUsers();
        router.takeLog();
        break;
      case 4: {
        // A client's INITIAL: the first (no cookie, connection id k) or the answer to the last
        // RETRY with its cookie.
        const bool answer = (s.byte() & 1) && !lastToken.empty();
        const auto initial = answer ? udp::makeInitial(lastTokenId, lastToken, s.byte())
                                    : udp::makeInitial(connIds[k], {}, s.byte());
        router.fromClient(initial.data(), initial.size(), client, 0, now, out);
        break;
      }
      case 5:
      case 6: {
        std::vector<uint8_t> d;
        udp::writeHeader(d, {udp::DatagramType::kData, connIds[k], pn[k]++});
        const auto body = s.bytes(1400);
        if (op == 5) {
          const uint32_t total = s.u16() + 1u;
          const uint32_t offset = s.u16() % total;
          const uint16_t length =
              static_cast<uint16_t>(std::min<size_t>(body.size(), total - offset));
          udp::writeFragment(d, udp::MessageClass::kReliable, 0, total, offset, body.data(),
                             length);
        } else {
          d.insert(d.end(), body.begin(), body.end());
        }
        router.fromClient(d.data(), d.size(), client, 0, now, out);
        break;
      }
    }
    drain();
    check(router.routes() <= limits.maxRoutes);
    check(router.pending() <= limits.maxPending);
  }
  return 0;
}
