// libFuzzer target: the UDP transport's receive path - datagrams through rdk_udp_core's Session
// (acks, loss detection, reassembly, parity recovery, path validation, close), no sockets.
//
// The input is a script (udp_session_script.hpp): a client and a server session joined by a
// simulated link that the script drives - sends, loss, reordering, duplication, time, MTU
// errors, closes - plus damaged copies of the real datagrams and raw datagrams of its own. The
// harness plays the endpoint's part exactly as UdpEndpoint::handleDatagram/handleInitial do:
// header parsed, unknown connection ids dropped, the server session created only by an INITIAL
// that carries a valid cookie (RETRY otherwise).
//
// DTLS (dtls://): the dtls plugin runs this same core over DtlsChannel, which hands the session
// each decrypted application record as one datagram; after decryption the bytes take exactly this
// path (parseHeader -> Session::onDatagram), so this target covers the DTLS path's plaintext
// frames too. The DTLS record layer itself is OpenSSL's (and tests/transport_dtls_peers covers
// the peer table without sockets).
//
// Checked, besides no crash, leak or hang: while the script injected nothing (no raw or damaged
// datagram), each side delivers the other's reliable messages exactly once, in order and intact,
// and droppable ones at most once and intact; and, unless a session closed, once the link is made
// loss-free for 30 s of virtual time every reliable message that was accepted has arrived.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "cookie.hpp"
#include "session.hpp"
#include "udp_session_script.hpp"
#include "wire.hpp"

using namespace rdk::udp;
using rdk::fuzz::UdpOp;

namespace {

constexpr uint64_t kConnId = 0x0123456789abcdefULL;
constexpr size_t kMaxOps = 200;
constexpr size_t kMaxSentBytes = 4u << 20;
constexpr size_t kMaxPerProduce = 64;

void check(bool ok) {
  if (!ok)
    std::abort();
}

class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  bool more() const { return pos_ < n_; }
  bool ok() const { return ok_; }
  uint8_t u8() {
    if (pos_ >= n_) {
      ok_ = false;
      return 0;
    }
    return p_[pos_++];
  }
  uint16_t u16() {
    const uint16_t high = u8();
    return static_cast<uint16_t>((high << 8) | u8());
  }
  uint32_t u32() {
    const uint32_t high = u16();
    return (high << 16) | u16();
  }
  std::vector<uint8_t> bytes(size_t n) {
    n = std::min(n, n_ - pos_);
    std::vector<uint8_t> out(p_ + pos_, p_ + pos_ + n);
    pos_ += n;
    return out;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
  bool ok_ = true;
};

PeerAddress address(uint32_t ip, uint16_t port) {
  PeerAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  in->sin_addr.s_addr = htonl(ip);
  a.length = sizeof(sockaddr_in);
  return a;
}

// A message's bytes: class, per-class index, then a pattern of both (so any damage shows).
std::vector<uint8_t> messageBytes(bool droppable, uint32_t index, size_t size) {
  size = std::max<size_t>(size, 5);
  std::vector<uint8_t> m(size);
  m[0] = droppable ? 1 : 0;
  for (int i = 0; i < 4; ++i)
    m[1 + i] = static_cast<uint8_t>(index >> (24 - 8 * i));
  // The pattern repeats every 256 bytes: one period, then copies (the harness is not what is
  // being fuzzed, so it should not cost a compare per byte).
  uint8_t period[256];
  for (size_t i = 0; i < 256; ++i)
    period[i] = static_cast<uint8_t>(i * 31 + index * 7 + (droppable ? 101 : 0));
  for (size_t i = 5; i < size;) {
    const size_t n = std::min(size - i, 256 - i % 256);
    std::memcpy(&m[i], &period[i % 256], n);
    i += n;
  }
  return m;
}

// What one side sent and what the other delivered of it.
struct Flow {
  uint32_t reliableSent = 0, droppableSent = 0;
  std::vector<size_t> reliableSizes, droppableSizes;
  uint32_t reliableDelivered = 0;
  std::vector<bool> droppableSeen;
  bool deliveredAny = false;
  size_t bytes = 0;
};

class Harness {
 public:
  explicit Harness(uint8_t flags)
      : clientAddr_(address(0x0a000001, 5000)),
        altAddr_(address(0x0a000002, 6000)),
        serverAddr_(address(0x0a0000fe, 14500)) {
    static const int kFec[] = {0, -1, 2, 4};
    options_.fecGroup = kFec[flags & 3];
    options_.allowRoaming = flags & 4;
    if (flags & 8) {
      options_.receiveBufferBytes = 1u << 20;
      options_.receiveBufferUntrustedBytes = 16u << 10;
    }
    options_.probeMtu = flags & 16;
    clientFrom_ = clientAddr_;
    client_ = std::make_unique<Session>(kConnId, true, options_, serverAddr_, now_, 1);
  }

  void run(Reader& in) {
    for (size_t ops = 0; in.more() && ops < kMaxOps; ++ops) {
      const auto op = static_cast<UdpOp>(in.u8() % static_cast<uint8_t>(UdpOp::kCount));
      switch (op) {
        case UdpOp::kRawToServer:
        case UdpOp::kRawToClient: {
          const uint8_t flags = in.u8();
          std::vector<uint8_t> d = in.bytes(in.u16() % 2048);
          if (!in.ok())
            return;
          if (!(flags & 2) && d.size() >= kHeaderSize)
            for (int i = 0; i < 8; ++i)
              d[3 + i] = static_cast<uint8_t>(kConnId >> (56 - 8 * i));
          injected_ = true;
          if (op == UdpOp::kRawToServer)
            toServer(d, flags & 1 ? altAddr_ : clientFrom_);
          else
            toClient(d, flags & 1 ? altAddr_ : serverAddr_);
          break;
        }
        case UdpOp::kClientSend:
        case UdpOp::kServerSend: {
          const uint8_t flags = in.u8();
          size_t size = in.u16();
          if (!in.ok())
            return;
          if (flags & 8)
            size *= 16;
          send(op == UdpOp::kServerSend, flags & 1, (flags >> 1) & 3, size);
          break;
        }
        case UdpOp::kPump: {
          const uint16_t step = in.u16();
          const uint32_t loss = in.u32();
          const uint8_t flags = in.u8();
          if (!in.ok())
            return;
          if (flags & 4) {
            clientFrom_ = altAddr_;
            moved_ = true;
          }
          pump(uint64_t(step) * 100, loss, flags, std::nullopt);
          break;
        }
        case UdpOp::kCorruptPump: {
          Damage damage;
          const uint16_t step = in.u16();
          damage.datagram = in.u8();
          damage.byte = in.u16();
          damage.mask = in.u8();
          if (!in.ok())
            return;
          if (damage.mask == 0)
            damage.mask = 0xff;
          pump(uint64_t(step) * 100, 0, 0, damage);
          break;
        }
        case UdpOp::kTooBig: {
          const uint8_t side = in.u8();
          const uint16_t mtu = in.u16();
          if (!in.ok())
            return;
          Session* s = side & 1 ? server_.get() : client_.get();
          const uint64_t pn = side & 1 ? lastServerPn_ : lastClientPn_;
          if (s)
            s->onDatagramTooBig(pn, mtu, now_);
          break;
        }
        case UdpOp::kClose: {
          const uint8_t how = in.u8();
          if (!in.ok())
            return;
          closedByScript_ = true;
          switch (how % 5) {
            case 0:
              client_->close("script", now_);
              break;
            case 1:
              if (server_)
                server_->close("script", now_);
              break;
            case 2:
              client_->abort("script");
              break;
            case 3:
              if (server_)
                server_->abort("script");
              break;
            default:
              if (server_)
                server_->onRepeatedInitial();
              break;
          }
          break;
        }
        case UdpOp::kAdvance: {
          const uint32_t us = in.u32();
          if (!in.ok())
            return;
          now_ += us;
          break;
        }
        case UdpOp::kStats:
        default:
          readStats(*client_);
          if (server_)
            readStats(*server_);
          break;
      }
      collectEvents();
    }
  }

  // Every reliable message accepted for sending arrives once the link is loss-free, unless a
  // session ended or the script broke the rules (injected data, closed, moved without roaming).
  void checkLiveness() {
    // A client that moved may be ignored for good (a server lets a session move only after it
    // carried data both ways for a second, and only with allow_roaming): not a stall to report.
    if (injected_ || closedByScript_ || moved_)
      return;
    bool replied = false;
    for (int i = 0; i < 6000 && !allDelivered(); ++i) {
      pump(5000, 0, 0, std::nullopt);
      collectEvents();
      // The kernel answers a client's first message (a hello) with 2 kB or more of its own,
      // which trusts the connection with its full receive buffer; a server session holds only
      // the head message until then, by design.
      if (server_ && !replied && !server_->trusted() && toServerFlow_.deliveredAny) {
        send(true, false, 0, Session::kTrustReplyBytes);
        replied = true;
      }
      if (clientClosed_ || serverClosed_)
        return;
    }
    if (!client_->established())
      return;  // the handshake itself never completed (e.g. the script let it time out)
    check(allDelivered());
  }

 private:
  struct Damage {
    uint8_t datagram = 0;
    uint16_t byte = 0;
    uint8_t mask = 0xff;
  };

  bool allDelivered() const {
    return toServerFlow_.reliableDelivered == toServerFlow_.reliableSent &&
           toClientFlow_.reliableDelivered == toClientFlow_.reliableSent;
  }

  void send(bool fromServer, bool droppable, uint8_t key, size_t size) {
    Session* s = fromServer ? server_.get() : client_.get();
    Flow& flow = fromServer ? toClientFlow_ : toServerFlow_;
    if (!s || flow.bytes + size > kMaxSentBytes)
      return;
    const uint32_t index = droppable ? flow.droppableSent : flow.reliableSent;
    std::vector<uint8_t> m = messageBytes(droppable, index, size);
    rdk_bytes iov{m.data(), m.size()};
    const SendResult r =
        s->send(&iov, 1, droppable ? MessageClass::kDroppable : MessageClass::kReliable,
                droppable ? key + 1 : 0, ++packetIds_, now_);
    if (r != SendResult::kOk)
      return;
    flow.bytes += m.size();
    if (droppable) {
      flow.droppableSent++;
      flow.droppableSizes.push_back(m.size());
      flow.droppableSeen.push_back(false);
    } else {
      flow.reliableSent++;
      flow.reliableSizes.push_back(m.size());
    }
  }

  // The server side of UdpEndpoint::handleDatagram and handleInitial.
  void toServer(const std::vector<uint8_t>& d, const PeerAddress& from) {
    auto h = parseHeader(d.data(), d.size());
    if (!h || h->connId != kConnId)
      return;  // garbage or an unknown connection id: dropped
    const uint8_t* body = d.data() + kHeaderSize;
    const size_t size = d.size() - kHeaderSize;
    if (h->type == DatagramType::kInitial) {
      if (server_) {
        if (server_->peer() == from) {
          server_->setPeerFeatures(initialFeatures(body, size));
          server_->onRepeatedInitial();
        }
        return;
      }
      if (d.size() < kMinInitialSize)
        return;
      auto token = parseToken(body, size);
      if (!token)
        return;
      if (token->empty() || !cookies_.verify(*token, from, h->connId, now_)) {
        auto retry = makeRetry(h->connId, cookies_.mint(from, h->connId, now_));
        pendingRetries_.push_back(std::move(retry));
        return;
      }
      server_ = std::make_unique<Session>(kConnId, false, options_, from, now_, 2);
      server_->setPeerFeatures(initialFeatures(body, size));  // Reed-Solomon both ways
      return;
    }
    if (server_)
      server_->onDatagram(*h, body, size, from, now_);
  }

  // The client side (an endpoint in client mode ignores INITIALs).
  void toClient(const std::vector<uint8_t>& d, const PeerAddress& from) {
    auto h = parseHeader(d.data(), d.size());
    if (!h || h->connId != kConnId || h->type == DatagramType::kInitial)
      return;
    client_->onDatagram(*h, d.data() + kHeaderSize, d.size() - kHeaderSize, from, now_);
  }

  void pump(uint64_t stepUs, uint32_t lossBits, uint8_t flags, std::optional<Damage> damage) {
    now_ += stepUs;
    struct InFlight {
      bool toServer;
      std::vector<uint8_t> bytes;
    };
    std::vector<InFlight> round;
    std::vector<OutDatagram> out;
    client_->produce(now_, out, kMaxPerProduce);
    for (auto& d : out) {
      if (d.pn)
        lastClientPn_ = d.pn;
      round.push_back({true, std::move(d.bytes)});
    }
    out.clear();
    if (server_) {
      server_->produce(now_, out, kMaxPerProduce);
      for (auto& d : out) {
        if (d.pn)
          lastServerPn_ = d.pn;
        round.push_back({false, std::move(d.bytes)});
      }
    }
    for (auto& r : pendingRetries_)
      round.push_back({false, std::move(r)});
    pendingRetries_.clear();
    if (flags & 1)
      std::reverse(round.begin(), round.end());
    if ((flags & 2) && !round.empty())
      round.push_back(round.front());
    if (damage && !round.empty()) {
      auto& d = round[damage->datagram % round.size()].bytes;
      if (!d.empty()) {
        d[damage->byte % d.size()] ^= damage->mask;
        injected_ = true;
      }
    }
    for (size_t i = 0; i < round.size(); ++i) {
      if (lossBits & (1u << (i % 32)))
        continue;
      if (round[i].toServer)
        toServer(round[i].bytes, clientFrom_);
      else
        toClient(round[i].bytes, serverAddr_);
    }
  }

  void collectEvents() {
    std::vector<SessionEvent> events;
    client_->takeEvents(events);
    handleEvents(events, toClientFlow_, clientClosed_);
    events.clear();
    if (server_) {
      server_->takeEvents(events);
      handleEvents(events, toServerFlow_, serverClosed_);
    }
  }

  void handleEvents(std::vector<SessionEvent>& events, Flow& flow, bool& closed) {
    for (const SessionEvent& e : events) {
      if (e.kind == SessionEvent::Kind::kClosed) {
        check(!closed);  // on_closed comes once
        closed = true;
        continue;
      }
      if (e.kind != SessionEvent::Kind::kData)
        continue;
      flow.deliveredAny = true;
      if (injected_)
        continue;
      // Honest peers only from here: exactly once, in order, intact.
      check(e.data.size() >= 5);
      const bool droppable = e.data[0] == 1;
      check(e.data[0] <= 1);
      const uint32_t index = (uint32_t(e.data[1]) << 24) | (uint32_t(e.data[2]) << 16) |
                             (uint32_t(e.data[3]) << 8) | e.data[4];
      if (droppable) {
        check(index < flow.droppableSent && !flow.droppableSeen[index]);
        flow.droppableSeen[index] = true;
        check(e.data == messageBytes(true, index, flow.droppableSizes[index]));
      } else {
        check(index == flow.reliableDelivered && index < flow.reliableSent);
        check(e.data == messageBytes(false, index, flow.reliableSizes[index]));
        flow.reliableDelivered++;
      }
    }
  }

  void readStats(Session& s) {
    (void)s.stats();
    (void)s.nextWakeUs(now_);
    (void)s.mtu();
    (void)s.established();
    (void)s.closed();
    (void)s.trusted();
    (void)s.reassemblyBytes();
    (void)s.refusedClaims();
    (void)s.refusedDatagrams();
    (void)s.parityDatagramsSent();
    (void)s.fragmentsRecovered();
    (void)s.hasEvents();
  }

  UdpOptions options_;
  const PeerAddress clientAddr_, altAddr_, serverAddr_;
  PeerAddress clientFrom_;
  uint64_t now_ = 1'000'000'000;
  CookieMinter cookies_;
  std::unique_ptr<Session> client_, server_;
  std::vector<std::vector<uint8_t>> pendingRetries_;
  Flow toServerFlow_, toClientFlow_;
  uint64_t packetIds_ = 0;
  uint64_t lastClientPn_ = 0, lastServerPn_ = 0;
  bool injected_ = false, closedByScript_ = false, moved_ = false;
  bool clientClosed_ = false, serverClosed_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  Reader in(data + 1, size - 1);
  Harness h(data[0]);
  h.run(in);
  h.checkLiveness();
  return 0;
}
